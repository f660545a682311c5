module example.com/corpus/hostile

go 1.19
