module example.com/corpus/cshared

go 1.19
