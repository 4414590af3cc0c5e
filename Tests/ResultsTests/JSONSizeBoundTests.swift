@testable import Results
import XCTest

/// `serializedBytes` reserves `sizeBound` bytes so that the output is allocated once; the
/// bound must hold for the longest form of every kind of value the layout writes.
final class JSONSizeBoundTests: XCTestCase {
    /// The longest shortest-round-trip numbers (24 characters), the longest integer, strings
    /// made only of escaped bytes, and each of them nested in objects and arrays at depth.
    func testTheBoundHoldsForTheLongestFormOfEveryValue() {
        let numbers: [JSONValue] = [.number(-2.2250738585072014e-308), .number(-1.7976931348623157e+308), .number(.nan),
                                    .number(-0.0), .integer(Int.min), .integer(Int.max)]
        let controls = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        let strings: [JSONValue] = [.string(controls), .string("\"\\\"\\"), .string(""), .string("é∑")]
        // Every power of two and of ten, one below and negated: each digit count and bit length.
        var integers: [Int] = [0]
        var power = 1
        for _ in 0..<18 { power *= 10; integers += [power - 1, power, -power, -(power - 1)] }
        for shift in 1..<63 { integers += [1 << shift, (1 << shift) - 1, -(1 << shift)] }
        let scalars = numbers + strings + integers.map(JSONValue.integer) + [.bool(false), .bool(true), .null]
        var values = scalars + [.array(scalars), .array([]), .object([])]
        values.append(.object(scalars.enumerated().map { ("\(controls)\($0.offset)", $0.element) }))
        var nested = JSONValue.array(scalars)
        for depth in 0..<12 {
            nested = depth % 2 == 0 ? .object([(controls, nested), ("\"", .array([nested, .null]))]) : .array([nested, .object([])])
            values.append(nested)
        }
        for value in values {
            XCTAssertGreaterThanOrEqual(value.sizeBound(indent: 0) + 1, value.serializedBytes().count, value.serialized())
        }
    }

    /// A results file is mostly numbers of a dozen to twenty digits: the reservation is at
    /// most a small multiple of what is written, not an allocation out of proportion.
    func testTheBoundIsWithinTwiceTheBytesOfAHistory() {
        let losses = (1...10_000).map { JSONValue.number(1 / Double($0 * 7 + 3)) }
        let document = JSONValue.object([("history", .object([("step", .array((0..<10_000).map(JSONValue.integer))),
                                                               ("loss", .array(losses))]))])
        let written = document.serializedBytes().count
        XCTAssertLessThanOrEqual(document.sizeBound(indent: 0) + 1, 2 * written)
    }
}
