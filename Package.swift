// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// The numeric kernels are optimised even in debug builds (unoptimised, the tests' training runs take minutes), and
/// on x86-64 they use AVX2 and FMA (x86-64-v3: every server CPU since 2015): twice the SIMD width of the baseline.
/// `RECOMMENDER_PORTABLE_SIMD=1 swift build` leaves it out, for x86 VMs whose CPU model hides AVX2.
#if arch(x86_64)
let vectorFlags = Context.environment["RECOMMENDER_PORTABLE_SIMD"] == "1" ? [] : ["-Xcc", "-march=x86-64-v3"]
#else
let vectorFlags: [String] = []
#endif
/// FAISS's headers include <omp.h>, which the Swift toolchain's clang lacks; GCC's copy serves (searched after clang's own
/// headers, whose intrinsics GCC's must not shadow).
#if arch(x86_64)
let gccInclude = "/usr/lib/gcc/x86_64-linux-gnu/12/include"
#else
let gccInclude = "/usr/lib/gcc/aarch64-linux-gnu/12/include"
#endif
let numericSettings: [SwiftSetting] = swiftSettings + [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
    .unsafeFlags(vectorFlags),
]

let package = Package(
    name: "recommender",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "recommender", targets: ["recommender"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // Only the OTLP/HTTP exporter: the default traits pull in gRPC and double the build time.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        // Already built for swift-otel; named for its traceparent parsing and ids, which the local tracer uses.
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context.git", from: "1.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // Already built for Hummingbird; named for NIOCore/NIOPosix, whose event loops `serve` makes the concurrency executor
        // (and on which the log sink defers its writes).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // Already built as swift-otel's OTLP/HTTP transport; used directly by the shutdown test (and later for webhooks).
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // The SLO spec is YAML (alerts/slos.yaml); Yams is libyaml plus a thin Swift layer (builds in well under a minute).
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .target(
            name: "CFaiss",
            cxxSettings: [.unsafeFlags(["-idirafter", gccInclude, "-O2"])],
            linkerSettings: [.linkedLibrary("faiss"), .linkedLibrary("gomp"), .linkedLibrary("openblas"), .linkedLibrary("lapack")]
        ),
        .target(
            name: "RecIndex",
            dependencies: ["CFaiss", "RecMath"],
            swiftSettings: numericSettings
        ),
        .target(
            name: "RecMath",
            dependencies: ["CBLAS"],
            swiftSettings: numericSettings
        ),
        .target(
            name: "RecModels",
            dependencies: ["RecMath", "RecCore"],
            swiftSettings: numericSettings
        ),
        .target(
            name: "RecCore",
            dependencies: [],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RecTelemetry",
            dependencies: [
                "RecCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RecStore",
            dependencies: [
                "RecCore",
                "RecTelemetry",
                "CSQLite",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Only to recognise the pool's own errors (shut down, circuit breaker open) as an unavailable database.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RecServing",
            dependencies: [
                "RecCore",
                "RecModels",
                "RecIndex",
                "RecMath",
                "RecTelemetry",
                "RecStore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RecServer",
            dependencies: [
                "RecCore",
                "RecServing",
                "RecModels",
                "RecIndex",
                "RecMath",
                "RecTelemetry",
                "RecStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "recommender",
            dependencies: [
                "RecServer",
                "RecServing",
                "RecModels",
                "RecIndex",
                "RecMath",
                "RecTelemetry",
                "RecStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Loaded into the test binary: installs the event loops as the concurrency executor before any task starts.
        .target(name: "CTestExecutor"),
        .target(
            name: "RecTesting",
            dependencies: [
                "RecCore",
                "RecStore",
                "RecTelemetry",
                "CTestExecutor",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RecCoreTests",
            dependencies: ["RecCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RecModelsTests",
            dependencies: ["RecModels", "RecMath", "RecCore", "RecTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RecTelemetryTests",
            dependencies: [
                "RecTelemetry", "RecCore", .product(name: "Prometheus", package: "swift-prometheus"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RecIndexTests",
            dependencies: ["RecIndex", "RecMath", "RecTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RecStoreTests",
            dependencies: ["RecStore", "RecCore", "RecTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RecServerTests",
            dependencies: [
                "RecServer",
                "RecServing",
                "RecIndex",
                "RecMath",
                "RecModels",
                "RecTesting",
                "recommender",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
