import Validation

/// With `data.scale`, the network sees scaled inputs: the page says so and gives the
/// constants, so that a reader can go from the data file's numbers to the ones shown.
extension Explainer {
    mutating func scalingNote() {
        guard let scaling = input.plan.inputScaling else { return }
        let how = scaling.method == .standardize
            ? "offset is the mean and scale the population standard deviation of the input over the training samples"
            : "offset is the minimum and scale the range (maximum minus minimum) of the input over the training samples"
        page.note(.text("The inputs are scaled (data.scale: \(scaling.method.rawValue)): every input below is (x - offset) / scale of the data file's value x, where \(how) (a constant input has scale 1). Offsets: "),
                   .text(scaling.offset.map { "\($0)" }.joined(separator: ", ")),
                   .text("; scales: "),
                   .text(scaling.scale.map { "\($0)" }.joined(separator: ", ")),
                   .text("."))
    }
}
