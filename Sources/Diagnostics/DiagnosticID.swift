/// The catalogue of diagnostic identities: one case per rule a spec can break.
///
/// An ID is `NN` and four digits (`NN3104`), shown in every rendered diagnostic
/// (`error[NN3104]`), in `--format json` and in GitHub annotations, and explained with a
/// minimal bad spec and its fix in Docs/diagnostics.md (a test keeps the two in step).
/// Numbers rather than slugs, as rustc's `E0308`: a number stays the same when a rule's
/// wording or name is improved, is short in a one-line summary, and its thousands digit
/// says which phase found the problem:
///
///     NN0xxx  reading the spec file          NN4xxx  data (samples, CSV, .npy)
///     NN1xxx  YAML (YAMLSource)              NN5xxx  training and record
///     NN2xxx  keys and value types (Spec)    NN6xxx  expectations (expect:)
///     NN3xxx  the model (Validation)         NN7xxx  sweeps
///
/// A number is never reused for another rule; a retired rule keeps its number unused.
/// The case names are the slugs Docs/diagnostics.md shows beside the numbers.
public enum DiagnosticID: Int, CaseIterable, Hashable, Sendable {
    // Reading the spec file
    case specTooLarge = 1
    case specUnreadable = 2
    case extendsUnreadable = 50
    case extendsCycle = 51
    case extendsTooLong = 52

    // YAML
    case yamlSyntax = 1001
    case notUTF8 = 1002
    case emptySpec = 1003
    case strayByteOrderMark = 1004
    case nestedTooDeep = 1005
    case secondDocument = 1006
    // 1007 (alias-not-supported) is retired: aliases are expanded, within a limit (1050).
    case yamlInternal = 1008
    case aliasExpansionTooLarge = 1050
    case recursiveAlias = 1051
    case mergeKeyValue = 1052

    // Keys and value types
    case wrongType = 2001
    case unknownKey = 2002
    case duplicateKey = 2003
    case invalidKey = 2004
    case invalidNumber = 2005
    case numberOutOfRange = 2006
    case csvAndNpy = 2007
    case toleranceForm = 2008
    case invalidBoolean = 2009
    case misplacedKey = 2010
    case overridePath = 2100
    case overrideValue = 2101
    case writeThroughAlias = 2102
    case extendsNotAPath = 2103

    // The model
    case missingKey = 3001
    case unsupportedVersion = 3002
    case invalidName = 3003
    case negativeSeed = 3004
    case notPositive = 3005
    case tooManyUnits = 3006
    case noLayers = 3007
    case duplicateLayerName = 3008
    case unknownActivation = 3009
    case softmaxOnHiddenLayer = 3010
    case alphaMisuse = 3011
    case tooManyWeights = 3012
    case weightRowCount = 3013
    case weightColumnCount = 3014
    case transposedWeights = 3015
    case unknownInitializer = 3016
    case missingSeed = 3017
    case initializerSetting = 3018
    case initializerRange = 3019
    case biasCount = 3020
    case needsFormat2 = 3050
    case parameterFileShape = 3051
    case initFromUnreadable = 3052
    case initFromMismatch = 3053
    case initFromAndParameters = 3054

    // Data
    case noSamples = 4001
    case sampleWidth = 4002
    case targetRange = 4003
    case targetsOrOneHot = 4004
    case dataFileUnreadable = 4005
    case csvSyntax = 4006
    case unknownColumn = 4007
    case csvRow = 4008
    case npyFormat = 4009
    case npyShape = 4010
    case nonFiniteValue = 4011
    case classLabelRange = 4012
    case rowCountMismatch = 4013
    case inferredClassCount = 4050
    case npzArchive = 4051
    case npzMember = 4052
    case inexactInteger = 4053
    case validationSplit = 4100
    case unknownScaling = 4101
    case scalingOverflow = 4102

    // Training and record
    case unknownLoss = 5001
    case lossOutputMismatch = 5002
    case unknownOptimizer = 5003
    case optimizerSetting = 5004
    case nonPositiveLearningRate = 5005
    case stepsOrEpochs = 5006
    case stepCount = 5007
    case unknownBatch = 5008
    case batchSize = 5009
    case unknownUpdateOrder = 5010
    case recordEvery = 5011
    case traceSteps = 5012
    // Learning-rate schedules
    case unknownSchedule = 5100
    case scheduleSetting = 5101
    case unknownScheduleUnit = 5102
    case unknownMonitor = 5150
    case earlyStoppingSetting = 5151
    case monitorUnavailable = 5152

    // Expectations
    case stepNeverReached = 6001
    case negativeTolerance = 6002
    case unreadableQuantity = 6003
    case unknownQuantity = 6004
    case quantityUnavailable = 6005
    case quantityIndex = 6006
    case notRecordedAtStep = 6007
    case expectedValueShape = 6008

    // Sweeps
    case sweepForm = 7001
    case sweepKeyPath = 7002
    case sweptTwice = 7003
    case sweepTooLarge = 7004

    /// `NN3104`: what output shows and tools group by.
    public var code: String {
        let digits = String(rawValue)
        return "NN" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// `unknown-activation`: the case name in the docs' kebab case.
    public var slug: String {
        var slug = ""
        var previous: Character?
        for character in String(describing: self) {
            // A capital after a small letter starts a word: `notUTF8` is `not-utf8`.
            if character.isUppercase, previous?.isLowercase == true { slug += "-" }
            slug += character.lowercased()
            previous = character
        }
        return slug
    }

    /// The ID written as `NN3104`, or nil.
    public init?(code: String) {
        guard code.hasPrefix("NN"), code.count == 6, let number = Int(code.dropFirst(2)) else { return nil }
        self.init(rawValue: number)
    }
}
