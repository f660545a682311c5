module example.com/corpus/crash

go 1.19
