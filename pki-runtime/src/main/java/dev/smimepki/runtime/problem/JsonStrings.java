package dev.smimepki.runtime.problem;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Every JSON string the services read is text PostgreSQL can store and UTF-8 can encode: one with a NUL character
 * or half of a surrogate pair (both can be written as JSON escapes) is refused as malformed JSON naming its field,
 * where it was a 500 from the database or the encoder, or worse a certificate with a NUL in its subject.
 */
@Singleton
class JsonStrings implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("pki-json-strings").addDeserializer(String.class, new Checked()));
    }

    /** Why a string cannot be taken, or null when it can. */
    static String refusal(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return "a string contains a NUL character (U+0000), which no field accepts";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "a string contains half of a UTF-16 surrogate pair, which is not a character";
            }
            if (Character.isLowSurrogate(c)) {
                return "a string contains half of a UTF-16 surrogate pair, which is not a character";
            }
        }
        return null;
    }

    /** Jackson's own string reading, then the check. */
    private static final class Checked extends StringDeserializer {
        private static final long serialVersionUID = 1L;

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = super.deserialize(parser, context);
            String refusal = value == null ? null : refusal(value);
            if (refusal != null) {
                throw MismatchedInputException.from(parser, String.class, refusal);
            }
            return value;
        }
    }
}
