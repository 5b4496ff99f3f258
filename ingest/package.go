// Package ingest reads government documents (.txt, .docx, .xlsx) into duban's
// extraction: tasks of a decomposition notice, indicator tables of a plan report,
// targets stated in a work report, glossaries and metadata.
//
// Reading happens in two steps. A reader turns the file into a Doc: paragraphs and
// tables with their merges, in reading order. Interpret then applies the rules of
// the documents (DOMAIN.md) to the Doc, whatever format it came from. Everything
// here is a pure function of its input: no database, no clock, no environment.
package ingest
