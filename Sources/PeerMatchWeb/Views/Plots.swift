import Foundation
import PeerMatch

/// The report's plots, drawn as SVG by the app (no charting script, nothing fetched).
///
/// Written by hand: the listed packages hold no SVG or chart builder, and the three plots need
/// only bars, axes and labels. Colours are presentation attributes, never `style`, so the site's
/// Content-Security-Policy (no inline styles) leaves them alone. Each plot is an `img` with a
/// title and a description, and the page gives the same figures as a table beside it. Same
/// figures, same bytes: coordinates are rounded to one decimal.
enum Plot {
    struct Bar {
        var label: String
        /// Segments of the bar, in order (a stacked bar), each a value and a colour.
        var segments: [(value: Double, colour: String)]
        /// Text written at the end of the bar ("83%", "4").
        var note: String
        /// A bar drawn hatched and empty (a week without sessions).
        var gap: Bool = false
    }

    static let ok = "#00703c", bad = "#b10e1e", warn = "#b35c00", grey = "#8b9196", brand = "#1d4e89", ink = "#14171a", line = "#b1b4b6"

    /// Vertical bars over categories (weeks), values 0…`maxValue`, with a y axis in `unit`.
    static func columns(id: String, title: String, description: String, bars: [Bar], maxValue: Double, ticks: [Double],
                        tickLabel: (Double) -> String, legend: [(String, String)]) -> String {
        let left = 44.0, right = 12.0, top = 16.0, bottom = 58.0
        let step = bars.count > 16 ? 28.0 : 40.0
        let width = max(360, left + right + step * Double(bars.count))
        let height = 260.0
        let plotH = height - top - bottom
        func y(_ v: Double) -> Double { top + plotH * (1 - min(max(v / maxValue, 0), 1)) }
        var s = header(id: id, width: width, height: height + (legend.isEmpty ? 0 : 22), title: title, description: description)
        for t in ticks {
            s += line(left, y(t), width - right, y(t), colour: line, width: 1)
            s += text(left - 6, y(t) + 4, tickLabel(t), anchor: "end", size: 11)
        }
        for (k, b) in bars.enumerated() {
            let x = left + step * Double(k) + step * 0.15, w = step * 0.7
            if b.gap {
                s += "<rect x=\"\(n(x))\" y=\"\(n(top))\" width=\"\(n(w))\" height=\"\(n(plotH))\" fill=\"none\" stroke=\"\(line)\" stroke-dasharray=\"3 3\"/>"
            }
            var base = 0.0
            for seg in b.segments where seg.value > 0 {
                s += "<rect x=\"\(n(x))\" y=\"\(n(y(base + seg.value)))\" width=\"\(n(w))\" height=\"\(n(y(base) - y(base + seg.value)))\" fill=\"\(seg.colour)\"/>"
                base += seg.value
            }
            if !b.note.isEmpty { s += text(x + w / 2, y(base) - 4, b.note, anchor: "middle", size: 10) }
            s += "<text x=\"\(n(x + w / 2))\" y=\"\(n(top + plotH + 12))\" font-size=\"10\" text-anchor=\"end\" fill=\"\(ink)\" font-family=\"system-ui, sans-serif\" transform=\"rotate(-45 \(n(x + w / 2)) \(n(top + plotH + 12)))\">\(esc(b.label))</text>"
        }
        s += line(left, top + plotH, width - right, top + plotH, colour: ink, width: 1.5)
        s += legendRow(legend, y: height + 8, x: left)
        return s + "</svg>"
    }

    /// Horizontal bars, one per category (reasons), values 0…`maxValue`.
    static func rows(id: String, title: String, description: String, bars: [Bar], maxValue: Double, labelWidth: Double = 170,
                     legend: [(String, String)] = []) -> String {
        let width = 560.0, right = 56.0, rowH = 28.0, top = 8.0
        let height = top * 2 + rowH * Double(max(bars.count, 1))
        let plotW = width - labelWidth - right
        func x(_ v: Double) -> Double { labelWidth + plotW * min(max(maxValue == 0 ? 0 : v / maxValue, 0), 1) }
        var s = header(id: id, width: width, height: height + (legend.isEmpty ? 0 : 24), title: title, description: description)
        for (k, b) in bars.enumerated() {
            let yTop = top + rowH * Double(k)
            s += text(labelWidth - 8, yTop + rowH / 2 + 4, b.label, anchor: "end", size: 12)
            var base = 0.0
            for seg in b.segments where seg.value > 0 {
                s += "<rect x=\"\(n(x(base)))\" y=\"\(n(yTop + 5))\" width=\"\(n(x(base + seg.value) - x(base)))\" height=\"\(n(rowH - 10))\" fill=\"\(seg.colour)\"/>"
                base += seg.value
            }
            s += text(x(base) + 6, yTop + rowH / 2 + 4, b.note, anchor: "start", size: 12)
        }
        s += line(labelWidth, top, labelWidth, top + rowH * Double(max(bars.count, 1)), colour: ink, width: 1.5)
        s += legendRow(legend, y: height + 6, x: labelWidth)
        return s + "</svg>"
    }

    // MARK: - Pieces

    static func header(id: String, width: Double, height: Double, title: String, description: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\" id=\"\(id)\">"
            + "<title id=\"\(id)-t\">\(esc(title))</title><desc id=\"\(id)-d\">\(esc(description))</desc>"
    }

    static func legendRow(_ items: [(String, String)], y: Double, x: Double) -> String {
        var s = "", cx = x
        for (label, colour) in items {
            s += "<rect x=\"\(n(cx))\" y=\"\(n(y))\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>"
            s += text(cx + 16, y + 10, label, anchor: "start", size: 11)
            cx += 24 + Double(label.count) * 6.2
        }
        return s
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, colour: String, width: Double) -> String {
        "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(colour)\" stroke-width=\"\(n(width))\"/>"
    }

    static func text(_ x: Double, _ y: Double, _ t: String, anchor: String, size: Int) -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" fill=\"\(ink)\" font-family=\"system-ui, sans-serif\">\(esc(t))</text>"
    }

    /// One decimal, no trailing `.0`, never `-0`.
    static func n(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        if r == r.rounded() { return String(Int(r)) }
        return String(format: "%.1f", r)
    }

    /// The core's HTML escaping (also right for SVG text and attribute values).
    static func esc(_ s: String) -> String { HTMLReport.esc(s) }
}
