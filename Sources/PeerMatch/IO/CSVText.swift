/// RFC 4180 CSV as PeerMatch writes it: fields joined by commas, a field holding a quote, comma,
/// CR or LF written in quotes with inner quotes doubled, rows ended by LF (the bytes CSV.swift's
/// `CSVWriter` writes, with a final LF).
///
/// Written by hand, not through CSV.swift's writer: that writer bridges every field to NSString
/// (`contains`, `replacingOccurrences`) and writes one Unicode scalar at a time through an
/// `OutputStream`: 57 µs a row in the runs file, and 36% of the stable-matching command. This
/// appends UTF-8 bytes to a buffer, so a report can stream into an ``OutputSink`` row by row.
public struct CSVBytes {
    public private(set) var bytes: [UInt8] = []

    public init(reservingCapacity n: Int = 0) { bytes.reserveCapacity(n) }

    /// Appends one row.
    public mutating func row<S: Sequence>(_ fields: S) where S.Element == String {
        var first = true
        for f in fields {
            if !first { bytes.append(0x2C) }
            first = false
            field(f)
        }
        // CSV.swift writes nothing at all for a row without fields.
        if !first { bytes.append(0x0A) }
    }

    /// Appends one field (the caller puts the commas and the line end: ``comma()``, ``end()``).
    public mutating func field(_ s: String) {
        var s = s
        s.withUTF8 { u in
            if u.contains(where: { $0 == 0x22 || $0 == 0x2C || $0 == 0x0A || $0 == 0x0D }) {
                bytes.append(0x22)
                for b in u {
                    if b == 0x22 { bytes.append(0x22) }
                    bytes.append(b)
                }
                bytes.append(0x22)
            } else {
                bytes.append(contentsOf: u)
            }
        }
    }

    /// A score in hundredths as ``formatNumber(_:)`` writes `h / 100` (2, 1.5, 0.25, -0.05),
    /// without going through `String(format:)`.
    public mutating func hundredths(_ h: Int) {
        if h < 0 { bytes.append(0x2D) }
        let m = h.magnitude
        integer(m / 100)
        let fraction = Int(m % 100)
        guard fraction != 0 else { return }
        bytes.append(0x2E)
        bytes.append(0x30 + UInt8(fraction / 10))
        if fraction % 10 != 0 { bytes.append(0x30 + UInt8(fraction % 10)) }
    }

    public mutating func integer(_ n: UInt) {
        if n < 10 { bytes.append(0x30 + UInt8(n)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0, n = n
        withUnsafeMutableBytes(of: &digits) { d in
            while n > 0 { d[count] = 0x30 + UInt8(n % 10); n /= 10; count += 1 }
            for k in stride(from: count - 1, through: 0, by: -1) { bytes.append(d[k]) }
        }
    }

    /// Appends text as it is (UTF-8), no quoting: JSON punctuation, or a string already quoted.
    public mutating func raw(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    @inline(__always) public mutating func comma() { bytes.append(0x2C) }
    @inline(__always) public mutating func end() { bytes.append(0x0A) }
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
    public var count: Int { bytes.count }
}

/// Writes rows as RFC 4180 CSV text (see ``CSVBytes``).
public func csvText(header: [String], rows: [[String]]) -> String {
    var csv = CSVBytes()
    csv.row(header)
    for row in rows { csv.row(row) }
    // CSV.swift's writer ended the last row without a line break and this added one; a table
    // with no fields at all still ends in one.
    if csv.bytes.isEmpty { csv.end() }
    return String(decoding: csv.bytes, as: UTF8.self)
}
