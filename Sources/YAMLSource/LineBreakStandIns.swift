/// NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029), read as YAML 1.2
/// reads them: as ordinary characters. libyaml follows YAML 1.1, where they end a line, so a
/// U+2028 pasted into a comment turns the rest of the comment into YAML and every later line
/// number is one more than the editor shows. YAML 1.2 (section 5.4) says a processor should
/// treat them as non-break characters.
///
/// The loader hands libyaml the file with each of them replaced by a stand-in: a character
/// of the same encoded length (so byte offsets and columns are unchanged) that the file does
/// not contain and that no escape in it can produce (its four hex digits appear nowhere in
/// the file). Scalars get the original characters back (`restoring`).
struct LineBreakStandIns {
    /// What libyaml reads: the file itself when it holds none of the three.
    private(set) var bytes: [UInt8]
    /// Stand-in -> the character it replaces.
    private var originals: [Unicode.Scalar: Unicode.Scalar] = [:]

    private static let nextLine: Unicode.Scalar = "\u{85}"
    private static let lineSeparator: Unicode.Scalar = "\u{2028}"
    private static let paragraphSeparator: Unicode.Scalar = "\u{2029}"

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        let encoding = SourceText.Encoding(of: bytes)
        let breaks = Self.breaks(in: bytes, encoding: encoding)
        guard !breaks.isEmpty else { return }
        let text = SourceText.decode(bytes)
        let lowered = text.lowercased()
        var replacements: [UInt32: Unicode.Scalar] = [:]
        for original in [Self.nextLine, Self.lineSeparator, Self.paragraphSeparator] where breaks.contains(original.value) {
            // Same UTF-8 length as the original: two bytes for NEL (U+0100 up, beyond what a
            // two-digit `\x` escape makes), three for the separators (the private use area).
            let candidates = original == Self.nextLine ? UInt32(0x100)...UInt32(0x7FF) : UInt32(0xE000)...UInt32(0xF8FF)
            guard let standIn = candidates.lazy.compactMap(Unicode.Scalar.init).first(where: { candidate in
                originals[candidate] == nil && !text.unicodeScalars.contains(candidate)
                    && !lowered.contains(Self.hexDigits(candidate))
            }) else { return }   // A file holding every candidate keeps libyaml's reading.
            replacements[original.value] = standIn
            originals[standIn] = original
        }
        self.bytes = Self.replacing(replacements, in: bytes, encoding: encoding)
    }

    /// Which of NEL, U+2028 and U+2029 the file holds: one pass over the bytes, since this
    /// runs on every file.
    private static func breaks(in bytes: [UInt8], encoding: SourceText.Encoding) -> Set<UInt32> {
        var found = Set<UInt32>()
        switch encoding {
        case .utf8:
            // NEL is C2 85; LINE and PARAGRAPH SEPARATOR are E2 80 A8 and E2 80 A9.
            guard SourceText.containsAny(of: [0x85, 0xA8, 0xA9], in: bytes) else { return found }
            bytes.withUnsafeBufferPointer { buffer in
                var index = 2
                while index < buffer.count {
                    let byte = buffer[index]
                    if byte == 0x85 && buffer[index - 1] == 0xC2 {
                        found.insert(0x85)
                    } else if (byte == 0xA8 || byte == 0xA9) && buffer[index - 1] == 0x80 && buffer[index - 2] == 0xE2 {
                        found.insert(0x2000 | UInt32(byte - 0x80))
                    }
                    index += 1
                }
                if buffer.count >= 2 && buffer[0] == 0xC2 && buffer[1] == 0x85 { found.insert(0x85) }
            }
        case .utf16LittleEndian, .utf16BigEndian:
            for unit in SourceText.CodeUnits(bytes) where unit.value == 0x85 || unit.value == 0x2028 || unit.value == 0x2029 {
                found.insert(UInt32(unit.value))
            }
        }
        return found
    }

    /// `text` (a scalar libyaml read) with the original characters in place of the stand-ins.
    func restoring(_ text: String) -> String {
        guard !originals.isEmpty, text.unicodeScalars.contains(where: { originals[$0] != nil }) else { return text }
        var restored = String.UnicodeScalarView()
        restored.append(contentsOf: text.unicodeScalars.map { originals[$0] ?? $0 })
        return String(restored)
    }

    /// "2028": how an escape (`\u2028`, `\U00002028`) would name the character.
    private static func hexDigits(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The bytes with each code point in `replacements` replaced, everything else (invalid
    /// bytes included, so libyaml still reports them at the same offset) left as it is.
    private static func replacing(_ replacements: [UInt32: Unicode.Scalar], in bytes: [UInt8],
                                  encoding: SourceText.Encoding) -> [UInt8] {
        var result = bytes
        switch encoding {
        case .utf8:
            // NEL is C2 85; LINE and PARAGRAPH SEPARATOR are E2 80 A8 and E2 80 A9.
            var index = 0
            while index < bytes.count {
                var found: (value: UInt32, length: Int)?
                if bytes[index] == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0x85 {
                    found = (0x85, 2)
                } else if bytes[index] == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80,
                          bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                    found = (0x2000 | UInt32(bytes[index + 2] - 0x80), 3)
                }
                if let found, let standIn = replacements[found.value] {
                    result.replaceSubrange(index..<index + found.length, with: Array(String(standIn).utf8))
                    index += found.length
                } else {
                    index += 1
                }
            }
        case .utf16LittleEndian, .utf16BigEndian:
            for unit in SourceText.CodeUnits(bytes) {
                guard let standIn = replacements[UInt32(unit.value)] else { continue }
                let value = UInt16(standIn.value)
                let (first, second) = encoding == .utf16LittleEndian
                    ? (UInt8(value & 0xFF), UInt8(value >> 8)) : (UInt8(value >> 8), UInt8(value & 0xFF))
                result[unit.offset] = first
                result[unit.offset + 1] = second
            }
        }
        return result
    }
}
