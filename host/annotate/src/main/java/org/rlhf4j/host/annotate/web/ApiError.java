package org.rlhf4j.host.annotate.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the API refuses: an HTTP status (4xx) and a message saying what to fix, with any fields the
 * client can act on (the task's current version ...). Nothing is stored.
 */
final class ApiError extends RuntimeException {

    final int status;
    /** Extra fields of the error body (numbers and strings). */
    final Map<String, Object> fields = new LinkedHashMap<>();
    /** Extra headers of the answer (Allow ...). */
    final Map<String, String> headers = new LinkedHashMap<>();

    ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    ApiError with(String field, Object value) {
        fields.put(field, value);
        return this;
    }

    ApiError header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
