/** Scenario files and their exploration: reading YAML, running seeds and shards, shrinking, replay. */
module dev.trellis.scenario {
    requires transitive dev.trellis.apps;
    requires transitive dev.trellis.report;
    requires com.fasterxml.jackson.databind;
    // the Scenario records carry @JsonPropertyDescription, the schema's descriptions
    requires transitive com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.yaml.snakeyaml;
    requires java.xml;

    exports dev.trellis.scenario;
    exports dev.trellis.explore;

    opens dev.trellis.scenario to com.fasterxml.jackson.databind;
}
