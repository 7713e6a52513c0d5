import Foundation

/// The comparison as one self-contained SVG: small multiples, one panel per metric, one row per
/// policy; a dot at the mean with a bar for its 95% interval. The baseline's mean is a dashed
/// line in every panel; a filled dot differs from the baseline (paired interval excludes 0), a
/// hollow dot does not. No scripts, fonts or external files.
public enum ComparisonChart {
    static let panelWidth = 330.0, labelWidth = 104.0, rowHeight = 24.0, columns = 3
    static let titleHeight = 92.0, panelHead = 40.0, panelFoot = 30.0, gap = 22.0, margin = 20.0
    static let palette = ["#1b6ca8", "#d1495b", "#2a9d8f", "#e09f3e", "#6a4c93", "#3d405b", "#8c564b", "#17becf"]

    public static func svg(_ comparison: Comparison, metrics: [ComparisonMetric]? = nil, baseline: Int?, title: String? = nil) -> String {
        let metrics = metrics ?? comparison.metrics
        let policies = comparison.policyNames
        let panelHeight = panelHead + Double(policies.count) * rowHeight + panelFoot
        let rows = (metrics.count + columns - 1) / columns
        let width = margin * 2 + Double(columns) * panelWidth + Double(columns - 1) * gap
        let height = titleHeight + Double(rows) * (panelHeight + gap) + margin
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
        <rect width="100%" height="100%" fill="#ffffff"/>

        """
        let heading = title ?? "Matching policies compared on \(comparison.cohortNames.count) cohorts"
        s += text(margin, 30, escape(heading), size: 20, weight: "bold")
        s += text(margin, 52, "Dot: mean across cohorts. Bar: 95% confidence interval (t distribution).", size: 13, fill: "#333")
        if let b = baseline {
            s += text(margin, 70, escape("Dashed line: baseline \(policies[b]). Filled dot: differs from \(policies[b]) (paired 95% CI excludes 0); hollow: no clear difference."), size: 13, fill: "#333")
        }
        for (k, metric) in metrics.enumerated() {
            let x0 = margin + Double(k % columns) * (panelWidth + gap)
            let y0 = titleHeight + Double(k / columns) * (panelHeight + gap)
            s += panel(comparison, metric, baseline: baseline, x0: x0, y0: y0, height: panelHeight)
        }
        return s + "</svg>\n"
    }

    static func panel(_ c: Comparison, _ metric: ComparisonMetric, baseline: Int?, x0: Double, y0: Double, height: Double) -> String {
        let scale = metric.isShare ? 100.0 : 1.0
        let summaries = c.policyNames.indices.map { c.summary($0, metric) }
        var lo = Double.infinity, hi = -Double.infinity
        for m in summaries.compactMap({ $0 }) {
            lo = min(lo, (m.low ?? m.mean) * scale); hi = max(hi, (m.high ?? m.mean) * scale)
        }
        if !lo.isFinite { lo = 0; hi = 1 }
        if metric.isShare {
            lo = max(0, lo); hi = min(100, hi)
            if hi - lo < 1 { lo = max(0, min(lo, hi - 10)); hi = min(100, max(hi, lo + 10)) }
        }
        let ticks = niceTicks(lo, hi).filter { !metric.isShare || (0...100).contains($0) }
        let axisLo = ticks.first!, axisHi = ticks.last!
        let plotX = x0 + labelWidth, plotW = panelWidth - labelWidth - 14
        func px(_ v: Double) -> Double { plotX + (v - axisLo) / max(1e-12, axisHi - axisLo) * plotW }
        let top = y0 + panelHead, bottom = y0 + height - panelFoot

        var s = "<g>\n<rect x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(panelWidth))\" height=\"\(f(height))\" fill=\"#f7f7f7\" stroke=\"#dddddd\"/>\n"
        let hint = metric.higherIsBetter.map { $0 ? "higher is better →" : "← lower is better" } ?? ""
        s += text(x0 + 10, y0 + 22, escape(metric.label), size: 15, weight: "bold")
        if !hint.isEmpty { s += text(x0 + panelWidth - 10, y0 + 22, hint, size: 11, fill: "#555", anchor: "end") }
        for t in ticks {
            let x = px(t)
            s += "<line x1=\"\(f(x))\" y1=\"\(f(top - 4))\" x2=\"\(f(x))\" y2=\"\(f(bottom))\" stroke=\"#e2e2e2\"/>\n"
            s += text(x, bottom + 16, tickLabel(t, ticks), size: 11, fill: "#444", anchor: "middle")
        }
        if let b = baseline, let m = summaries[b] {
            let x = px(m.mean * scale)
            s += "<line x1=\"\(f(x))\" y1=\"\(f(top - 4))\" x2=\"\(f(x))\" y2=\"\(f(bottom))\" stroke=\"#777\" stroke-dasharray=\"4 3\"/>\n"
        }
        for (p, name) in c.policyNames.enumerated() {
            let y = top + (Double(p) + 0.5) * rowHeight
            let color = palette[p % palette.count]
            s += text(plotX - 8, y + 4, escape(name), size: 12, fill: "#222", anchor: "end", weight: p == baseline ? "bold" : "normal")
            guard let m = summaries[p] else {
                s += text(plotX + 4, y + 4, "no data", size: 11, fill: "#888"); continue
            }
            if let l = m.low, let h = m.high {
                s += "<line x1=\"\(f(px(max(axisLo, l * scale))))\" y1=\"\(f(y))\" x2=\"\(f(px(min(axisHi, h * scale))))\" y2=\"\(f(y))\" stroke=\"\(color)\" stroke-width=\"3\" stroke-linecap=\"round\"/>\n"
            }
            let differs = baseline.map { b in b != p && (c.difference(p, from: b, metric)?.excludesZero ?? false) } ?? true
            let fill = p == baseline || differs ? color : "#ffffff"
            s += "<circle cx=\"\(f(px(m.mean * scale)))\" cy=\"\(f(y))\" r=\"5.5\" fill=\"\(fill)\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
        }
        return s + "</g>\n"
    }

    /// 3 to 6 round tick values covering [lo, hi].
    static func niceTicks(_ lo: Double, _ hi: Double) -> [Double] {
        var lo = lo, hi = hi
        if hi - lo < 1e-9 { lo -= max(0.5, abs(lo) * 0.1); hi += max(0.5, abs(hi) * 0.1) }
        let raw = (hi - lo) / 4
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw }!
        let first = floor(lo / step) * step, last = ceil(hi / step) * step
        return stride(from: first, through: last + step / 2, by: step).map { ($0 / step).rounded() * step }
    }

    static func tickLabel(_ v: Double, _ ticks: [Double]) -> String {
        // The fewest decimals that write every tick exactly (2.5 steps need one).
        let digits = (0...3).first { d in ticks.allSatisfy { abs((Double(String(format: "%.\(d)f", $0)) ?? .nan) - $0) < 1e-9 } } ?? 3
        let s = String(format: "%.\(digits)f", v)
        return s == "-0" ? "0" : s
    }

    static func text(_ x: Double, _ y: Double, _ content: String, size: Double, fill: String = "#000",
                     anchor: String = "start", weight: String = "normal") -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(size))\" fill=\"\(fill)\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\">\(content)</text>\n"
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
