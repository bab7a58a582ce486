package dev.uhttp.workers.worker.encoding;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one configured Jackson {@link ObjectMapper} shared by the worker runtime and the dispatcher's
 * sync handlers, so that both turn results into the same JSON.
 *
 * <p>Configuration: records and POJOs are supported; unknown properties are ignored when binding a
 * body to a class (clients may send more than a handler reads); objects without properties serialise
 * as {@code {}} instead of failing. On the module path, Jackson needs reflective access to user
 * classes: a user module {@code opens} its data packages to {@code com.fasterxml.jackson.databind}
 * (or exports them, for public types).
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {
    }

    /**
     * The shared mapper. It is thread-safe; do not reconfigure it (use {@code mapper().copy()} for a
     * variant).
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
