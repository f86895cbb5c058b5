// swift-tools-version:6.2
// Visage: beauty-image analysis for Linux. The targets below are the modules of docs/DESIGN.md,
// listed bottom-up; each imports only what its entry names (checked in CI with
// --explicit-target-dependency-import-check).
import PackageDescription

let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "Visage",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "visage", targets: ["visage"]),
        .library(name: "VisageImaging", targets: ["VisageImaging"]),
        .library(name: "VisageNN", targets: ["VisageNN"]),
        .library(name: "VisageFace", targets: ["VisageFace"]),
        .library(name: "VisageBeauty", targets: ["VisageBeauty"]),
        .library(name: "VisagePipeline", targets: ["VisagePipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // C at the edge: libjpeg-turbo and libpng behind a setjmp/longjmp-catching shim.
        .target(
            name: "CImageCodecs",
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png"), .linkedLibrary("lcms2")]
        ),
        // BLAS entry points, loaded at run time so the right OpenBLAS kernel is picked (MODELS.md §6).
        .target(name: "CBLAS", linkerSettings: [.linkedLibrary("dl")]),
        // Hot CNN kernels per ISA (AVX-512F, AVX2+FMA, portable), picked at run time by CPUID.
        .target(name: "CKernels"),

        .target(name: "VisageImaging", dependencies: ["CImageCodecs"], swiftSettings: strict),
        .target(name: "VisageNN", dependencies: ["CBLAS", "CKernels"], swiftSettings: strict),
        .target(name: "VisageFace", dependencies: ["VisageImaging", "VisageNN", "CKernels"], swiftSettings: strict),
        .target(name: "VisageBeauty", dependencies: ["VisageImaging", "VisageFace", "CKernels"], swiftSettings: strict),
        .target(
            name: "VisagePipeline",
            dependencies: [
                "VisageImaging", "VisageNN", "VisageFace", "VisageBeauty", "CKernels",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "visage",
            dependencies: [
                "VisagePipeline", "VisageImaging", "VisageNN", "VisageFace", "VisageBeauty",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // Codec fuzzing (scripts/fuzz.sh builds it with -sanitize=fuzzer -DFUZZING into .build-fuzz);
        // in a normal build it is a small replayer of inputs through the same decoder paths.
        .executableTarget(
            name: "visage-codec-fuzz", dependencies: ["VisageImaging"], path: "Fuzz/Swift", swiftSettings: strict),

        // Tests mirror the modules; TestSupport holds shared assertions and fixture lookup.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "VisageImagingTests", dependencies: ["VisageImaging", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "VisageNNTests", dependencies: ["VisageNN", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "VisageFaceTests", dependencies: ["VisageFace", "VisageImaging", "VisageNN", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "VisageBeautyTests", dependencies: ["VisageBeauty", "VisageFace", "VisageImaging", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "VisagePipelineTests",
            dependencies: ["VisagePipeline", "VisageImaging", "VisageFace", "VisageBeauty", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"], swiftSettings: strict),
    ]
)
