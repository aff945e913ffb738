package org.rlhf4j.host.annotate.web;

/** A request the API refuses: an HTTP status (4xx) and a message saying what to fix. Nothing is stored. */
final class ApiError extends RuntimeException {

    final int status;

    ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }
}
