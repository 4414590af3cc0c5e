import ArgumentParser
import Pipeline
import Running

/// `--results R.json` and `--initial`: where `export` and `predict` take the network's
/// parameters from. Without `--results` the spec is trained first, as `run` trains it.
struct ModelSource: ParsableArguments {
    @Option(help: ArgumentHelp("Take the parameters from this results file of the spec instead of training it "
                               + "(refused when its spec.sha256 is not the spec's).", valueName: "results.json"),
            completion: .resultsFile)
    var results: String?

    @Flag(help: "Take the initial parameters (with --results: the results file's initial ones).")
    var initial = false

    @OptionGroup var overrides: Overrides

    var source: TrainedModel.Source {
        if let results { return .results(path: results, initial: initial) }
        return initial ? .initial : .trained
    }

    /// The spec at `path` with its parameters: warnings printed; when it trains, a progress
    /// line (unless `quiet`) and Ctrl-C stopping it at the end of a step.
    func model(_ path: String, memory: MemoryLimit, kernels: KernelOptions, quiet: Bool) throws(PipelineFailure) -> TrainedModel {
        Interrupts.install()
        return try TrainedModel.load(path, overrides: overrides.list, source: source, memoryLimit: memory.bytes, warnings: { $0.printWarnings() },
                                     training: { planned in
            var progress = Progress(enabled: !quiet, total: planned.plan.training.steps)
            let run = planned.run(kernels: kernels, stopRequested: { Interrupts.requested },
                                  progress: { step, loss in progress.update(step: step, loss: loss) })
            progress.finish()
            return run
        })
    }
}
