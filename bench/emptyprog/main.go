// Command emptyprog does nothing: bench/check.sh times it beside pycguard
// as the floor of any Go program's start on the machine.
package main

func main() {}
