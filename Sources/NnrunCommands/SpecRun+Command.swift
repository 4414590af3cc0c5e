import Pipeline
import Running

extension SpecRun {
    /// The spec at `path` compiled, planned and trained as `run` and `check` do: its
    /// warnings printed, a progress line while it trains, Ctrl-C stopping it at the end of a step.
    static func trained(_ path: String, overrides: Overrides, memory: MemoryLimit, kernels: KernelOptions = .automatic,
                        showProgress: Bool = false) throws(PipelineFailure) -> SpecRun {
        // The plan holds the data: it ends with this function, before the results file is built.
        let planned = try PlannedSpec.load(path, overrides: overrides.list, memoryLimit: memory.bytes, warnings: { $0.printWarnings() })
        var progress = Progress(enabled: showProgress, total: planned.plan.training.steps)
        let run = planned.run(kernels: kernels, stopRequested: { Interrupts.requested },
                              progress: { step, loss in progress.update(step: step, loss: loss) })
        progress.finish()
        return run
    }
}
