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
        a test side out of it: random:FRACTION:SEED per user, last per user by time, time:FRACTION globally, \
        cold-items:FRACTION:SEED (that share of the items held out with all their events; test users are ranked \
        among the held-out items only, as in the ColdRec benchmark) or cold-users:FRACTION:SEED (that share of the \
        users held out whole, ranked over every item). --item-features and --user-features attach NDJSON features \
        (the format of POST /api/v1/imports?type=items and ?type=users) by id; the content model needs item features. \
        Progress goes to standard error; one result line, and with --json a JSON object on the last line, to \
        standard output.
        """
    )

    @OptionGroup var options: ExperimentOptions

    @Option(help: "Split when there is no --test: \(Split.syntax).")
    var split: String = "random:0.2:42"

    @Flag(help: "Also print the result as a JSON object on the last line.")
    var json = false

    func validate() throws {
        try options.validateCommon()
    }

    func run() throws {
        let (model, parameters, _) = try options.resolvedModel()
        let format = try options.datasetFormat()
        let features = try options.featureFiles()
        var loader = DatasetLoader()
        let full = try loader.load(path: options.train, format: format)
        let train: Dataset
        let test: Dataset
        var candidates: [Bool]?
        if let testPath = options.test {
            let loaded = try loader.load(path: testPath, format: format)
            // The test file may name ids the training file did not: widen the training id space to match.
            train = options.attach(features, to: Dataset(userIDs: loaded.userIDs, itemIDs: loaded.itemIDs, interactions: full.interactions))
            test = train.with(loaded.interactions)
        } else {
            let chosen = try Split(parsing: split)
            (train, test) = chosen.apply(to: options.attach(features, to: full))
            candidates = chosen.candidates(test: test)
        }
        let tokens = train.itemFeatures.reduce(0) { $0 + $1.tokens.count + $1.numbers.count }
        let estimate = model.memoryEstimate(parameters: parameters, users: train.userCount, items: train.itemCount, pairs: train.interactions.count, featureTokens: tokens, threads: options.threads)
        let ranked = candidates.map { mask in "; ranking among the \(mask.filter { $0 }.count) held-out items" } ?? ""
        Console.note("\(model.name): \(train.userCount) users, \(train.itemCount) items, \(train.interactions.count) training and \(test.interactions.count) test interactions\(ranked); memory estimate \(Console.fixed(Double(estimate) / 1_048_576, 0)) MiB")
        let context = TrainingContext(threads: options.threads, seed: options.seed, report: { progress in
            let loss = progress.loss.map { " loss=\(Console.fixed($0, 6))" } ?? ""
            Console.note("  \(progress.stage) \(progress.epoch)/\(progress.epochs)\(loss)")
        })
        let outcome: Experiment.Outcome
        do {
            outcome = try Experiment(model: model, parameters: parameters, k: options.k)
                .run(train: train, test: test, candidates: candidates, context: context)
        } catch {
            throw CommandFailure(error.description)
        }
        let result = outcome.result
        let k = options.k
        Console.out("\(model.name) recall@\(k)=\(Console.fixed(result.recall)) ndcg@\(k)=\(Console.fixed(result.ndcg)) precision@\(k)=\(Console.fixed(result.precision)) map@\(k)=\(Console.fixed(result.map)) coverage=\(Console.fixed(result.coverage)) users=\(result.users) train_seconds=\(Console.fixed(outcome.trainSeconds, 2)) eval_seconds=\(Console.fixed(outcome.evaluateSeconds, 2)) threads=\(options.threads)")
        if json {
            var object: [String: JSONValue] = [
                "model": .string(model.name),
                "params": .object(parameters.values.mapValues { .number($0) }),
                "k": .number(Double(k)),
                "users": .number(Double(result.users)),
                "train_seconds": .number(outcome.trainSeconds),
                "eval_seconds": .number(outcome.evaluateSeconds),
                "threads": .number(Double(options.threads)),
                "split": .string(options.test == nil ? split : "file"),
            ]
            if let candidates { object["candidates"] = .number(Double(candidates.filter { $0 }.count)) }
            for (name, value) in result.metrics { object[name] = .number(value) }
            if let peak = Console.peakResidentMiB() { object["peak_rss_mib"] = .number(peak) }
            Console.out(try JSONText.string(JSONValue.object(object)))
        }
    }
}
