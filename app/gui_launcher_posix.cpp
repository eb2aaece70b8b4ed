#include "app/gui_launcher.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace portico::app {

namespace {

/// The directory of the running executable ("" when unknown), with a trailing '/'.
std::string executableDirectory(const char *argv0)
{
    char self[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    const std::string path = n > 0 ? std::string(self, std::size_t(n)) : std::string(argv0);
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string("./") : path.substr(0, slash + 1);
}

} // namespace

int launchGui(char **argv)
{
    const std::string gui = executableDirectory(argv[0]) + PORTICO_GUI_EXECUTABLE;
    std::vector<char *> args { const_cast<char *>(gui.c_str()) };
    for (char **arg = argv + 1; *arg; ++arg)
        args.push_back(*arg);
    args.push_back(nullptr);
    execv(gui.c_str(), args.data());
    const int error = errno;
    if (error == ENOENT)
        std::fprintf(stderr,
            "portico: the desktop app is not installed (no %s); run \"portico serve\" for the "
            "headless daemon\n",
            gui.c_str());
    else
        std::fprintf(stderr, "portico: cannot start the desktop app %s: %s\n", gui.c_str(),
            std::strerror(error));
    return 2;
}

} // namespace portico::app
