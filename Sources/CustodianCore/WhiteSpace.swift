import Foundation

/// Trimming and normal form without Foundation's bridging: every field of every imported row (a
/// feed of 100,000 rows is over three million fields) passes through here, and Foundation's
/// `trimmingCharacters(in:)` copied each into an NSString first (a third of the import's time).
extension StringProtocol {
    /// Without leading and trailing white space (Unicode's White_Space property: spaces, tabs,
    /// line breaks, no-break spaces). A field with none is returned without scanning it.
    public var trimmedWhiteSpace: String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return "" }
        if !first.isWhiteSpace, !last.isWhiteSpace { return String(self) }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].isWhiteSpace { start = scalars.index(after: start) }
        while end > start {
            let before = scalars.index(before: end)
            guard scalars[before].isWhiteSpace else { break }
            end = before
        }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }

    /// The text in Unicode NFC. ASCII is already NFC, so most text is returned as it is.
    var canonicallyComposed: String {
        utf8.allSatisfy { $0 < 0x80 } ? String(self) : String(self).precomposedStringWithCanonicalMapping
    }
}

extension Unicode.Scalar {
    /// What Foundation's `whitespacesAndNewlines` holds, so trimming is unchanged from it: White_Space
    /// and the zero-width space (white space in older Unicode, and still to Foundation).
    var isWhiteSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x20: true
        case 0..<0x80: false
        case 0x200B: true
        default: properties.isWhitespace
        }
    }
}
