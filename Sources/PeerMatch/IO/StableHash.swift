import Foundation

/// 64-bit FNV-1a of bytes, as 16 hex digits: a stable, platform-independent hash for identifiers
/// and fingerprints (Swift's `Hasher` is seeded per process, so it cannot be used). Written out:
/// five lines, and no package we may use offers a stable non-cryptographic hash.
func fnv1a<Bytes: Sequence>(bytes: Bytes) -> String where Bytes.Element == UInt8 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// FNV-1a of the UTF-8 bytes.
func fnv1a(_ text: String) -> String { fnv1a(bytes: text.utf8) }

/// FNV-1a of a file's bytes.
func fnv1a(_ data: Data) -> String { fnv1a(bytes: data) }
