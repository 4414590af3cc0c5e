import Foundation

/// A self-contained SVG of loss against step: one line per results file (validation
/// loss dashed), accuracy in a second panel when any file has it (validation accuracy
/// dashed), axes with ticks and labels, a legend. Each line is a <polyline class="series"> whose data-* attributes
/// say what it shows; the plot area records its data ranges (data-x-min ...) so the
/// numbers can be read back from the picture.
public struct LossPlot: Sendable {
    public struct Series: Sendable {
        public var label: String
        public var steps: [Int]
        public var loss: [Double]
        public var validationLoss: [Double]?
        public var accuracy: [Double]?
        public var validationAccuracy: [Double]?

        public init(label: String, steps: [Int], loss: [Double], validationLoss: [Double]?, accuracy: [Double]?,
                    validationAccuracy: [Double]?) {
            self.label = label
            self.steps = steps
            self.loss = loss
            self.validationLoss = validationLoss
            self.accuracy = accuracy
            self.validationAccuracy = validationAccuracy
        }
    }

    public var series: [Series]
    public var logScale: Bool
    public var title: String

    public init(series: [Series], logScale: Bool, title: String) {
        self.series = series
        self.logScale = logScale
        self.title = title
    }

    /// A results file's history as a series; nil when it has none.
    public static func series(from results: JSONValue, label: String) -> Series? {
        func numbers(_ value: JSONValue?) -> [Double]? {
            guard case .array(let items)? = value else { return nil }
            return items.map { item in
                switch item {
                case .number(let number): return number
                case .integer(let integer): return Double(integer)
                default: return .nan
                }
            }
        }
        guard let history = results["history"], case .array(let steps)? = history["step"],
              let loss = numbers(history["loss"]) else { return nil }
        let stepNumbers = steps.compactMap { if case .integer(let step) = $0 { return step } else { return nil } }
        guard stepNumbers.count == loss.count else { return nil }
        return Series(label: label, steps: stepNumbers, loss: loss,
                      validationLoss: numbers(history["validation_loss"]), accuracy: numbers(history["accuracy"]),
                      validationAccuracy: numbers(history["validation_accuracy"]))
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    public var svg: String {
        // The legend column is as wide as the longest label (about 7 px a character).
        let longest = Double(series.map(\.label.count).max() ?? 10)
        let right = max(190.0, 60 + 7 * longest), left = 80.0, top = 40.0
        let width = 570.0 + right
        let lossHeight = 300.0
        let hasAccuracy = series.contains { $0.accuracy != nil || $0.validationAccuracy != nil }
        let accuracyHeight = hasAccuracy ? 140.0 : 0
        let gap = hasAccuracy ? 50.0 : 0
        let height = top + lossHeight + gap + accuracyHeight + 60
        let plotWidth = width - left - right

        let allSteps = series.flatMap(\.steps)
        let xMin = Double(allSteps.min() ?? 0), xMax = Double(max(allSteps.max() ?? 1, (allSteps.min() ?? 0) + 1))
        let lossValues = series.flatMap { $0.loss + ($0.validationLoss ?? []) }.filter { $0.isFinite && (!logScale || $0 > 0) }
        var yMin = lossValues.min() ?? 0, yMax = lossValues.max() ?? 1, yStep = 1.0
        if logScale {
            yMin = pow(10, floor(log10(yMin))); yMax = pow(10, ceil(log10(yMax)))
            if yMin == yMax { yMax = yMin * 10 }
        } else {
            (yMin, yMax, yStep) = LossPlot.niceRange(yMin, yMax)
        }
        func x(_ step: Double) -> Double { left + (step - xMin) / (xMax - xMin) * plotWidth }
        func y(_ value: Double) -> Double {
            let t = logScale ? (log10(value) - log10(yMin)) / (log10(yMax) - log10(yMin)) : (value - yMin) / (yMax - yMin)
            return top + lossHeight * (1 - t)
        }
        let accuracyTop = top + lossHeight + gap
        func yAccuracy(_ value: Double) -> Double { accuracyTop + accuracyHeight * (1 - value) }

        var out: [String] = []
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">")
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
        out.append("<text x=\"\(f(left))\" y=\"24\" font-size=\"15\" font-weight=\"bold\">\(LossPlot.escape(title))</text>")
        // Loss panel: frame, ticks, grid.
        out.append("<g class=\"plot\" data-quantity=\"loss\" data-x-min=\"\(xMin)\" data-x-max=\"\(xMax)\" data-y-min=\"\(yMin)\" data-y-max=\"\(yMax)\" data-log=\"\(logScale)\" data-left=\"\(left)\" data-top=\"\(top)\" data-width=\"\(plotWidth)\" data-height=\"\(lossHeight)\">")
        out.append("<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(lossHeight))\" fill=\"none\" stroke=\"#444\"/>")
        let yTicks = logScale ? LossPlot.logTicks(yMin, yMax) : LossPlot.ticks(yMin, yMax, step: yStep)
        for tick in yTicks {
            out.append("<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\" stroke=\"#ddd\"/>")
            out.append("<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(LossPlot.label(tick))</text>")
        }
        for tick in LossPlot.ticks(xMin, xMax) {
            out.append("<line x1=\"\(f(x(tick)))\" x2=\"\(f(x(tick)))\" y1=\"\(f(top + lossHeight))\" y2=\"\(f(top + lossHeight + 5))\" stroke=\"#444\"/>")
            out.append("<text x=\"\(f(x(tick)))\" y=\"\(f(top + lossHeight + 18))\" text-anchor=\"middle\">\(LossPlot.label(tick))</text>")
        }
        out.append("<text x=\"20\" y=\"\(f(top + lossHeight / 2))\" transform=\"rotate(-90 20 \(f(top + lossHeight / 2)))\" text-anchor=\"middle\">loss\(logScale ? " (log scale)" : "")</text>")
        if !hasAccuracy {
            out.append("<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(top + lossHeight + 40))\" text-anchor=\"middle\">step</text>")
        }
        for (index, item) in series.enumerated() {
            let color = LossPlot.palette[index % LossPlot.palette.count]
            out.append(polyline(item.steps, item.loss, label: item.label, quantity: "loss", color: color, dashed: false, x: x, y: y))
            if let validation = item.validationLoss {
                out.append(polyline(item.steps, validation, label: item.label, quantity: "validation_loss", color: color, dashed: true, x: x, y: y))
            }
        }
        out.append("</g>")
        if hasAccuracy {
            out.append("<g class=\"plot\" data-quantity=\"accuracy\" data-x-min=\"\(xMin)\" data-x-max=\"\(xMax)\" data-y-min=\"0.0\" data-y-max=\"1.0\" data-log=\"false\" data-left=\"\(left)\" data-top=\"\(accuracyTop)\" data-width=\"\(plotWidth)\" data-height=\"\(accuracyHeight)\">")
            out.append("<rect x=\"\(f(left))\" y=\"\(f(accuracyTop))\" width=\"\(f(plotWidth))\" height=\"\(f(accuracyHeight))\" fill=\"none\" stroke=\"#444\"/>")
            for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                out.append("<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(yAccuracy(tick)))\" y2=\"\(f(yAccuracy(tick)))\" stroke=\"#ddd\"/>")
                out.append("<text x=\"\(f(left - 6))\" y=\"\(f(yAccuracy(tick) + 4))\" text-anchor=\"end\">\(LossPlot.label(tick))</text>")
            }
            for tick in LossPlot.ticks(xMin, xMax) {
                out.append("<text x=\"\(f(x(tick)))\" y=\"\(f(accuracyTop + accuracyHeight + 18))\" text-anchor=\"middle\">\(LossPlot.label(tick))</text>")
            }
            out.append("<text x=\"20\" y=\"\(f(accuracyTop + accuracyHeight / 2))\" transform=\"rotate(-90 20 \(f(accuracyTop + accuracyHeight / 2)))\" text-anchor=\"middle\">accuracy</text>")
            out.append("<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(accuracyTop + accuracyHeight + 40))\" text-anchor=\"middle\">step</text>")
            for (index, item) in series.enumerated() {
                let color = LossPlot.palette[index % LossPlot.palette.count]
                if let accuracy = item.accuracy {
                    out.append(polyline(item.steps, accuracy, label: item.label, quantity: "accuracy", color: color, dashed: false,
                                        x: x, y: yAccuracy))
                }
                if let validation = item.validationAccuracy {
                    out.append(polyline(item.steps, validation, label: item.label, quantity: "validation_accuracy", color: color,
                                        dashed: true, x: x, y: yAccuracy))
                }
            }
            out.append("</g>")
        }
        // Legend.
        out.append("<g class=\"legend\">")
        for (index, item) in series.enumerated() {
            let ly = top + 10 + Double(index) * 18
            let color = LossPlot.palette[index % LossPlot.palette.count]
            out.append("<line x1=\"\(f(width - right + 12))\" x2=\"\(f(width - right + 36))\" y1=\"\(f(ly))\" y2=\"\(f(ly))\" stroke=\"\(color)\" stroke-width=\"2\"/>")
            out.append("<text x=\"\(f(width - right + 42))\" y=\"\(f(ly + 4))\">\(LossPlot.escape(item.label))</text>")
        }
        if series.contains(where: { $0.validationLoss != nil || $0.validationAccuracy != nil }) {
            let ly = top + 10 + Double(series.count) * 18
            out.append("<line x1=\"\(f(width - right + 12))\" x2=\"\(f(width - right + 36))\" y1=\"\(f(ly))\" y2=\"\(f(ly))\" stroke=\"#444\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>")
            out.append("<text x=\"\(f(width - right + 42))\" y=\"\(f(ly + 4))\">validation set</text>")
        }
        out.append("</g>")
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    private func polyline(_ steps: [Int], _ values: [Double], label: String, quantity: String, color: String, dashed: Bool,
                          x: (Double) -> Double, y: (Double) -> Double) -> String {
        let points = zip(steps, values).filter { $0.1.isFinite && (!logScale || quantity == "accuracy" || $0.1 > 0) }
            .map { "\(f(x(Double($0.0)))),\(f(y($0.1)))" }.joined(separator: " ")
        return "<polyline class=\"series\" data-label=\"\(LossPlot.escape(label))\" data-quantity=\"\(quantity)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"\(dashed ? " stroke-dasharray=\"6 4\"" : "") points=\"\(points)\"/>"
    }

    private func f(_ value: Double) -> String { String(format: "%.3f", value) }

    /// 1, 2 or 5 times a power of ten at or above `value`. A value above one of them by
    /// rounding alone (0.74 - 0.69 is 0.05000000000000004) counts as equal to it.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let power = pow(10, floor(log10(value)))
        for factor in [1.0, 2, 5, 10] where factor * power >= value * (1 - 1e-9) { return factor * power }
        return 10 * power
    }

    /// The spacing of about five ticks over [low, high]: the smallest 1, 2 or 5 times a
    /// power of ten that is at least a fifth of the span (Heckbert's "nice numbers",
    /// Graphics Gems, 1990, rounded up so that there are at most five intervals inside it).
    static func niceStep(_ low: Double, _ high: Double) -> Double {
        niceCeiling((high - low) / 5)
    }

    /// The linear loss axis and its tick spacing: from the largest multiple of the spacing
    /// at or below the smallest value to the smallest at or above the largest, so that the
    /// axis covers the data and leaves less than one spacing free at either end. A constant
    /// series v is drawn on the axis for [min(0, v), max(0, v) + 1].
    static func niceRange(_ low: Double, _ high: Double) -> (low: Double, high: Double, step: Double) {
        guard high > low else { return niceRange(min(0, low), max(0, low) + 1) }
        let step = niceStep(low, high)
        // The 1e-9 keeps a value that is a multiple of the spacing but for rounding from adding an interval.
        return ((low / step + 1e-9).rounded(.down) * step, (high / step - 1e-9).rounded(.up) * step, step)
    }

    /// Ticks `step` apart covering [low, high] (by default about five, `niceStep` apart).
    static func ticks(_ low: Double, _ high: Double, step given: Double? = nil) -> [Double] {
        let span = high - low
        guard span > 0 else { return [low] }
        let step = given ?? niceStep(low, high)
        var tick = (low / step).rounded(.up) * step
        var result: [Double] = []
        while tick <= high + step * 1e-9 {
            result.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        return result
    }

    static func logTicks(_ low: Double, _ high: Double) -> [Double] {
        var result: [Double] = []
        var exponent = log10(low).rounded()
        while pow(10, exponent) <= high * (1 + 1e-9) {
            result.append(pow(10, exponent))
            exponent += 1
        }
        return result
    }

    static func label(_ value: Double) -> String {
        if value == 0 { return "0" }
        if abs(value) >= 1e5 || abs(value) < 1e-3 {
            let exponent = Int(floor(log10(abs(value))))
            let mantissa = value / pow(10, Double(exponent))
            return abs(mantissa - 1) < 1e-9 ? "1e\(exponent)" : String(format: "%.1fe%d", mantissa, exponent)
        }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
