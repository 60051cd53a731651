package util

func Fetch() { Default.Get() }
