package io.ordersaga.common;

/**
 * Thrown by a processor when an input record itself is unusable (a command type this version does not know, a
 * value that breaks its schema's contract), before the processor has written any store. It is the one processing
 * error the services skip: the processing exception handler sends the record to the application's dead-letter
 * topic ({@link Topics#deadLetters}) and processing goes on. Every other exception (a store, serde or registry
 * failure) fails the task, so exactly-once processing aborts the transaction and the record is retried.
 */
public class InvalidRecordException extends RuntimeException {

    /** @param message what is wrong with the record, naming its key */
    public InvalidRecordException(String message) {
        super(message);
    }
}
