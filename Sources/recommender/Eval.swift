import ArgumentParser
import Foundation
import RecCore
import RecMath
import RecModels

/// `recommender eval`: trains one model on a file and prints its full-ranking metrics.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model on a file and evaluate it with full ranking (Recall, NDCG, Precision, MAP @K, coverage).",
        discussion: """
        With --test, the model trains on --train and is measured on --test. With only --train, --split carves \
        a test side out of it (random:FRACTION:SEED per user, last per user by time, or time:FRACTION globally). \
        Progress goes to standard error; one result line, and with --json a JSON object on the last line, to \
        standard output.
        """
    )

    @OptionGroup var options: ExperimentOptions

    @Option(help: "Split when there is no --test: random:FRACTION[:SEED], last or time:FRACTION.")
    var split: String = "random:0.2:42"

    @Flag(help: "Also print the result as a JSON object on the last line.")
    var json = false

    func validate() throws {
        try options.validateCommon()
    }

    func run() throws {
        let (kind, parameters, _) = try options.resolvedModel()
        let format = try options.datasetFormat()
        var loader = DatasetLoader()
        let full = try loader.load(path: options.train, format: format)
        let train: Dataset
        let test: Dataset
        if let testPath = options.test {
            let loaded = try loader.load(path: testPath, format: format)
            // The test file may name ids the training file did not: widen the training id space to match.
            train = Dataset(userIDs: loaded.userIDs, itemIDs: loaded.itemIDs, interactions: full.interactions)
            test = loaded
        } else {
            (train, test) = try Split(parsing: split).apply(to: full)
        }
        let estimate = ModelCatalog.memoryEstimate(kind, parameters: parameters, users: train.userCount, items: train.itemCount, pairs: train.interactions.count, threads: options.threads)
        Console.note("\(kind.rawValue): \(train.userCount) users, \(train.itemCount) items, \(train.interactions.count) training and \(test.interactions.count) test interactions; memory estimate \(Console.fixed(Double(estimate) / 1_048_576, 0)) MiB")
        let context = TrainingContext(threads: options.threads, seed: options.seed, report: { progress in
            let loss = progress.loss.map { " loss=\(Console.fixed($0, 6))" } ?? ""
            Console.note("  \(progress.stage) \(progress.epoch)/\(progress.epochs)\(loss)")
        })
        let outcome: Experiment.Outcome
        do {
            outcome = try Experiment(kind: kind, parameters: parameters, k: options.k).run(train: train, test: test, context: context)
        } catch {
            throw CommandFailure(error.description)
        }
        let result = outcome.result
        let k = options.k
        Console.out("\(kind.rawValue) recall@\(k)=\(Console.fixed(result.recall)) ndcg@\(k)=\(Console.fixed(result.ndcg)) precision@\(k)=\(Console.fixed(result.precision)) map@\(k)=\(Console.fixed(result.map)) coverage=\(Console.fixed(result.coverage)) users=\(result.users) train_seconds=\(Console.fixed(outcome.trainSeconds, 2)) eval_seconds=\(Console.fixed(outcome.evaluateSeconds, 2)) threads=\(options.threads)")
        if json {
            var object: [String: JSONValue] = [
                "model": .string(kind.rawValue),
                "params": .object(parameters.values.mapValues { .number($0) }),
                "k": .number(Double(k)),
                "users": .number(Double(result.users)),
                "train_seconds": .number(outcome.trainSeconds),
                "eval_seconds": .number(outcome.evaluateSeconds),
                "threads": .number(Double(options.threads)),
                "split": .string(options.test == nil ? split : "file"),
            ]
            for (name, value) in result.metrics { object[name] = .number(value) }
            if let peak = Console.peakResidentMiB() { object["peak_rss_mib"] = .number(peak) }
            Console.out(try JSONText.string(JSONValue.object(object)))
        }
    }
}
