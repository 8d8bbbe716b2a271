package ai.chatops.nlu.internal;

/**
 * One word of a message.
 *
 * @param text the word as written, without surrounding quotes and trailing punctuation
 * @param lower the word in lower case
 * @param stem the lower-case word with a few English suffixes removed
 * @param start the offset of the first character in the message
 * @param end the offset after the last character in the message
 */
public record ReferenceToken(String text, String lower, String stem, int start, int end) {}
