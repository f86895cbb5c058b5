extension StepRegistry {
    /// The step kinds this build implements. A kind is listed here only once its implementation
    /// exists; each lives in its own file in `Steps/`.
    public static let standardKinds: [StepKind] = [
        .imageCrop, .imageRotate, .imageResize, .imageFlip, .imagePad, .imageNormalize, .imageAugment,
        .modelRun, .modelClassify, .faceDetect, .faceLandmarks, .faceIris, .faceSegment, .faceCrop,
        .beautySkinTone, .beautyQuality, .beautyColours, .beautyMakeup,
    ]

    /// A registry of `standardKinds`.
    public static var standard: StepRegistry {
        var registry = StepRegistry()
        for kind in standardKinds { try? registry.register(kind) }
        return registry
    }
}
