// Package zh holds the Chinese text rules both stores share: the tokens of the
// search index (overlapping bigrams of Han characters, the character that
// ends each run, and lower-case words), what a task gives it, and the order of
// numbered sections ("十二、…").
package zh
