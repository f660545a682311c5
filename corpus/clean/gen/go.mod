module example.com/corpus/clean

go 1.19
