import RecServer
import Testing

@Suite("Configuration from the environment")
struct ConfigurationTests {
    @Test("served lists are kept 7 days by default, longer than a long attribution window, or as set; bad values name the variable")
    func servedRetention() throws {
        let day: Int64 = 86_400_000
        #expect(AppConfiguration().servedRetentionMillis == 7 * day)
        var long = AppConfiguration()
        try long.apply(environment: ["RECOMMENDER_ATTRIBUTION_MINUTES": "10080"])
        #expect(long.servedRetentionMillis == 8 * day)
        var set = AppConfiguration()
        try set.apply(environment: ["RECOMMENDER_SERVED_RETENTION_DAYS": "2"])
        #expect(set.servedRetentionMillis == 2 * day)
        var inCode = AppConfiguration()
        inCode.servedRetentionDays = -3
        #expect(inCode.servedRetentionMillis == day + 30 * 60_000, "never below the attribution window and a day")
        for environment in [
            ["RECOMMENDER_SERVED_RETENTION_DAYS": "0"],
            ["RECOMMENDER_SERVED_RETENTION_DAYS": "a week"],
            ["RECOMMENDER_SERVED_RETENTION_DAYS": "1", "RECOMMENDER_ATTRIBUTION_MINUTES": "30"],
        ] {
            var configuration = AppConfiguration()
            let error = #expect(throws: ConfigurationError.self) { try configuration.apply(environment: environment) }
            #expect(error?.description.contains("RECOMMENDER_SERVED_RETENTION_DAYS") == true)
        }
    }
}
