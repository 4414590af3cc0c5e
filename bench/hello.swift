// The reference of bench/compare's process-start measurement: a Swift program that imports
// Foundation and prints one line, built as nnrun is measured (optimized, the runtime and
// Foundation linked statically: `swiftc -O -static-stdlib bench/hello.swift`).
import Foundation

print("hello")
