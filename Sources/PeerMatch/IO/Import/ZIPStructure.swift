import Foundation

/// Checks that a zip file's directory only points inside the file, before ZIPFoundation reads it.
///
/// Why by hand: ZIPFoundation 0.9.20 reads an in-memory archive through a seek that accepts any
/// offset, and its read then builds the range `offset..<offset + size` with a negative size when
/// the offset lies past the end, which traps ("Range requires lowerBound <= upperBound"). Fuzzing
/// the xlsx reader found it within 50 inputs (Tests/PeerMatchTests/Fixtures/fuzz/xlsx). Every
/// offset and length the archive will follow is checked here, so a damaged or hostile workbook
/// is a clear error instead of a crash: the end-of-central-directory record, the central
/// directory, and each entry's local header, name, extra field and data. (The reader now hands
/// ZIPFoundation a private temporary file rather than memory; the check still runs first, so a
/// damaged archive is refused before anything is written to disk or followed by the library.)
enum ZIPStructure {
    struct Damaged: Error { var why: String }

    static func check(_ data: Data) throws {
        try data.withUnsafeBytes { raw in try check(raw.bindMemory(to: UInt8.self)) }
    }

    static func check(_ b: UnsafeBufferPointer<UInt8>) throws {
        let n = b.count
        func u16(_ k: Int) -> Int { Int(b[k]) | Int(b[k + 1]) << 8 }
        func u32(_ k: Int) -> Int { u16(k) | u16(k + 2) << 16 }
        guard n >= 22 else { throw Damaged(why: "too short to be a zip file") }
        // The end-of-central-directory record: the last signature within the comment's reach.
        var eocd = -1
        var k = n - 22
        let stop = max(0, n - 22 - 0xFFFF)
        while k >= stop {
            if b[k] == 0x50 && b[k + 1] == 0x4B && b[k + 2] == 0x05 && b[k + 3] == 0x06 { eocd = k; break }
            k -= 1
        }
        guard eocd >= 0 else { throw Damaged(why: "no end-of-directory record") }
        let entries = u16(eocd + 10), size = u32(eocd + 12), offset = u32(eocd + 16)
        if entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            throw Damaged(why: "a ZIP64 archive (more than 65,535 parts or 4 GiB), which no spreadsheet intake needs")
        }
        guard u16(eocd + 4) == 0, u16(eocd + 6) == 0, u16(eocd + 8) == entries else { throw Damaged(why: "a multi-part archive") }
        guard offset + size <= eocd else { throw Damaged(why: "its directory lies outside the file") }
        var p = offset
        for _ in 0..<entries {
            guard p + 46 <= offset + size, u32(p) == 0x0201_4B50 else { throw Damaged(why: "its directory is cut short") }
            let compressed = u32(p + 20)
            let nameLength = u16(p + 28), extraLength = u16(p + 30), commentLength = u16(p + 32)
            let local = u32(p + 42)
            p += 46 + nameLength + extraLength + commentLength
            guard p <= offset + size else { throw Damaged(why: "its directory is cut short") }
            guard local + 30 <= n, u32(local) == 0x0403_4B50 else { throw Damaged(why: "a part's header lies outside the file") }
            let localName = u16(local + 26), localExtra = u16(local + 28)
            let start = local + 30 + localName + localExtra
            guard start <= n, compressed <= n - start else { throw Damaged(why: "a part's data lies outside the file") }
        }
    }
}
