import ArgumentParser
import Sweeps

/// `--set KEY.PATH=VALUE`, repeatable, with one meaning on every command that reads a spec
/// (Docs/cli.md): the value, in YAML syntax, is written into the spec's text at the key
/// path before the spec is decoded (`SpecOverride`, the mechanism sweeps use), in the
/// order given, so a later `--set` of the same path wins.
struct Overrides: ParsableArguments {
    @Option(name: .customLong("set"), parsing: .singleValue, help: ArgumentHelp(
        "Set a value of the spec before it is read (repeatable).",
        discussion: "KEY.PATH=VALUE, VALUE in YAML: --set training.learning_rate=0.1 --set 'model.layers[0].units=16'.",
        valueName: "key.path=value"))
    var settings: [String] = []

    var list: [SpecOverride] { settings.compactMap(SpecOverride.init(argument:)) }

    func validate() throws {
        for setting in settings where SpecOverride(argument: setting) == nil {
            throw ValidationError("--set \(setting): expected KEY.PATH=VALUE, e.g. --set training.learning_rate=0.1")
        }
    }
}
