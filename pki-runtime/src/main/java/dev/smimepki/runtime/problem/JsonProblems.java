package dev.smimepki.runtime.problem;

import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** What is wrong with a JSON body, said in JSON's terms: a field path and the kind of value it takes. */
final class JsonProblems {
    /** A Java type as Jackson quotes it, e.g. {@code `java.util.UUID`}. */
    private static final Pattern QUOTED_TYPE = Pattern.compile("`[^`]*`");

    private JsonProblems() {
    }

    /** {@code emails[1]}, {@code subject.commonName}; null for the whole body. */
    static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }

    /** The problem without any Java class name. */
    static String describe(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (!QUOTED_TYPE.matcher(message).find()) {
            return message; // the parser's own words ("Unexpected character ..."), or the platform's
        }
        if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return "expected " + kind(mismatched.getTargetType());
        }
        return QUOTED_TYPE.matcher(message).replaceAll("a value");
    }

    /** The JSON value a Java type is read from. */
    static String kind(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == int.class || type == long.class || type == short.class || type == byte.class
                || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type.isPrimitive() && type != boolean.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == UUID.class) {
            return "a UUID (36 characters, 8-4-4-4-12 hexadecimal digits)";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an RFC 3339 date-time string";
        }
        return "an object";
    }
}
