// Package zh holds the Chinese text rules both stores share: the tokens of the
// search index (overlapping bigrams of Han characters, single Han characters
// and lower-case words) and the order of numbered sections ("十二、…").
package zh
