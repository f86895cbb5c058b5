/// A pixel kernel written once, generically, and run through a concrete component type.
///
/// Public operations are generic over `PixelComponent`. Called from another module, a generic
/// function runs unspecialised (every pixel access through a witness table), which is far too
/// slow for 12-megapixel photos. Each operation therefore wraps its loop in an `ImageKernel`
/// and calls `apply(to:)`, which casts the image to `Image8`, `ImageF` or `Image16` and runs the
/// kernel from a concrete context, so the optimiser specialises the loop for that type. Other
/// component types run the generic code. A kernel returns an image of the type it received.
protocol ImageKernel {
    /// Runs the kernel on `image`.
    func run<T: PixelComponent>(_ image: Image<T>) -> Image<T>
}

extension ImageKernel {
    /// Runs the kernel, specialised for `UInt8`, `Float` and `UInt16` images.
    @inline(__always)
    func apply<C: PixelComponent>(to image: Image<C>) -> Image<C> {
        if let u8 = image as? Image8, let out = run(u8) as? Image<C> { return out }
        if let f32 = image as? ImageF, let out = run(f32) as? Image<C> { return out }
        if let u16 = image as? Image16, let out = run(u16) as? Image<C> { return out }
        return run(image)
    }
}
