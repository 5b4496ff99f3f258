module duban

go 1.26
