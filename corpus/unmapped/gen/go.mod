module example.com/corpus/unmapped

go 1.19
