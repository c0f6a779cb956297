package dev.trellis.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import dev.trellis.sim.Durations;

import java.io.IOException;
import java.time.Duration;

/** Reads durations for Jackson; a bare number is refused, as its unit would be a guess. */
final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT && p.getLongValue() == 0) {
            return Duration.ZERO;
        }
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw ScenarioReader.bad(p, "expected a duration (" + Durations.ACCEPTED + "), found " + ScenarioReader.describe(t));
        }
        try {
            return Durations.parse(p.getText());
        } catch (IllegalArgumentException e) {
            String why = t == JsonToken.VALUE_STRING ? e.getMessage()
                    : "[" + p.getText() + "] has no unit: write " + p.getText() + "ms or " + p.getText() + "s";
            throw ScenarioReader.bad(p, why);
        }
    }
}
