// Stands in for portico-gui.exe in the launcher check: prints each argument as the C runtime
// parsed it, in brackets, one per line, and exits 7 (so the launcher's exit code is checked).
#include <cstdio>

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i)
        std::printf("[%s]\n", argv[i]);
    return 7;
}
