import Foundation
import Testing
@testable import PeerMatch

/// The import's own whitespace tests replace Foundation's `trimmingCharacters(in:)` on every cell
/// (it bridged through NSString and was 30% of a large import), so they must agree with it exactly.
@Suite struct WhitespaceTests {
    /// Every Unicode scalar: `isSpace` is `.whitespaces` and `isSpaceOrNewline` is
    /// `.whitespacesAndNewlines`.
    @Test func scalarSetsEqualFoundationsOverAllOfUnicode() {
        var spaces = 0, wrong: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let c = Unicode.Scalar(value) else { continue }
            if isSpace(c) != CharacterSet.whitespaces.contains(c) { wrong.append("U+\(String(value, radix: 16)) whitespaces") }
            if isSpaceOrNewline(c) != CharacterSet.whitespacesAndNewlines.contains(c) { wrong.append("U+\(String(value, radix: 16)) newlines") }
            if isSpace(c) { spaces += 1 }
        }
        #expect(wrong == [])
        #expect(spaces == 19)  // tab, space, NBSP, U+1680, U+2000–200B, U+202F, U+205F, U+3000
    }

    /// Random strings built from blanks, newlines, letters, accents and emoji trim exactly as
    /// Foundation trims them, and `isBlank` says what trimming to empty says.
    @Test func trimmingEqualsFoundationOnRandomStrings() {
        let alphabet: [String] = [" ", "\t", "\n", "\r\n", "\r", "\u{85}", "\u{A0}", "\u{2028}", "\u{3000}", "\u{200B}",
                                  "a", "Z", "é", "e\u{301}", "\u{301}", "🙂", "👩‍👩‍👧", ";", ",", "0"]
        var random = SeededRandom(seed: 7)
        for _ in 0..<5_000 {
            let s = (0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
            #expect(trimmed(s) == s.trimmingCharacters(in: .whitespaces), "\(s.unicodeScalars.map { $0.value })")
            #expect(trimmed(s, newlines: true) == s.trimmingCharacters(in: .whitespacesAndNewlines), "\(s.unicodeScalars.map { $0.value })")
            #expect(trimmed(s[...]) == s.trimmingCharacters(in: .whitespaces))
            #expect(isBlank(s) == s.trimmingCharacters(in: .whitespaces).isEmpty)
        }
    }

    /// List cells split as Foundation's `components(separatedBy:)` splits them, empties included.
    @Test func piecesEqualFoundationsComponents() {
        let alphabet: [String] = [";", ",", " ", "\n", "\r\n", "a", "é", "e\u{301}", "\u{301}", "🙂", "/", "; "]
        var random = SeededRandom(seed: 11)
        for separator in [";", ",", "\n", ", ", " / ", "; "] {
            for _ in 0..<2_000 {
                let s = (0..<Int.random(in: 0...10, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
                #expect(pieces(s, separatedBy: separator).map(String.init) == s.components(separatedBy: separator),
                        "\(s.unicodeScalars.map { $0.value }) on \(separator.unicodeScalars.map { $0.value })")
            }
        }
    }
}
