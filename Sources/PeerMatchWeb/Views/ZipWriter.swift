import Foundation
import ZIPFoundation

/// A zip of named text files, written in one pass: each file deflated by ZIPFoundation's own
/// compression (and checksummed by its CRC-32), the local headers, then one central directory.
///
/// Hand-written around the library's compression because ZIPFoundation's `Archive.addEntry`
/// reads and rewrites the whole central directory after every entry: quadratic in the files,
/// and the calendars zip of a 2,000-mentee term has 2,808 of them (its first view took about
/// 205 ms, the page target being 200). The structure is the plain zip of PKWARE's APPNOTE
/// (§4.3): no ZIP64 (a file or archive over 4 GB, or over 65,535 files, is refused), names in
/// UTF-8 with the language-encoding flag when not ASCII, Unix permissions 0644, and every
/// entry's time taken from `modified` in UTC, so the same files give the same bytes on any
/// machine. `ZipWriterTests` reads the result back with ZIPFoundation's reader and with `unzip -t`.
struct ZipWriter {
    struct TooLarge: Error {}

    private var body = Data()
    private var directory = Data()
    private var count = 0
    private let time: UInt16, date: UInt16

    init(modified: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: modified)
        let year = min(max((c.year ?? 1980) - 1980, 0), 127)
        date = UInt16(year << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
        time = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
    }

    /// Adds a file; deflated unless empty.
    mutating func add(name: String, contents: Data) throws {
        let nameBytes = Data(name.utf8)
        guard count < 0xFFFF, contents.count < 0xFFFF_FFFF, nameBytes.count < 0xFFFF else { throw TooLarge() }
        var packed = Data()
        let method: UInt16 = contents.isEmpty ? 0 : 8
        var crc: UInt32 = 0
        if !contents.isEmpty {
            crc = try Data.compress(size: Int64(contents.count), bufferSize: 64 * 1024, provider: { position, size in
                contents.subdata(in: Int(position) ..< Int(position) + size)
            }, consumer: { packed.append($0) })
        }
        let offset = body.count
        guard offset < 0xFFFF_FFFF, packed.count < 0xFFFF_FFFF else { throw TooLarge() }
        let flags: UInt16 = name.utf8.allSatisfy { $0 < 0x80 } ? 0 : 0x0800
        // The fields the local header and the central directory's entry share (APPNOTE 4.3.7, 4.3.12).
        func shared(_ out: inout Data) {
            out.le16(20); out.le16(flags); out.le16(method); out.le16(time); out.le16(date)
            out.le32(crc); out.le32(UInt32(packed.count)); out.le32(UInt32(contents.count))
            out.le16(UInt16(nameBytes.count)); out.le16(0)
        }
        body.le32(0x0403_4B50)
        shared(&body)
        body.append(nameBytes)
        body.append(packed)
        directory.le32(0x0201_4B50)
        directory.le16(0x031E)                        // made by: Unix, zip 3.0
        shared(&directory)
        directory.le16(0); directory.le16(0); directory.le16(0)   // comment, disk, internal attributes
        directory.le32(UInt32(0o100644) << 16)        // a regular file, rw-r--r--
        directory.le32(UInt32(offset))
        directory.append(nameBytes)
        count += 1
    }

    /// The finished archive.
    func data() throws -> Data {
        guard body.count < 0xFFFF_FFFF, directory.count < 0xFFFF_FFFF else { throw TooLarge() }
        var out = body
        out.append(directory)
        out.le32(0x0605_4B50)
        out.le16(0); out.le16(0)
        out.le16(UInt16(count)); out.le16(UInt16(count))
        out.le32(UInt32(directory.count)); out.le32(UInt32(body.count))
        out.le16(0)
        return out
    }
}

private extension Data {
    mutating func le16(_ v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
    mutating func le32(_ v: UInt32) { le16(UInt16(v & 0xFFFF)); le16(UInt16(v >> 16)) }
}
