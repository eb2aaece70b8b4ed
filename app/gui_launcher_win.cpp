#include "app/gui_launcher.h"

#include <cstdio>
#include <string>
#include <windows.h>

namespace portico::app {

namespace {

/// What follows the program name in a Windows command line, leading blanks included. The
/// program name follows its own rule (no backslash escapes): it ends at the closing quote when
/// it starts with one, otherwise at the first space or tab.
const wchar_t *argumentsAfterProgram(const wchar_t *commandLine)
{
    const wchar_t *p = commandLine;
    if (*p == L'"') {
        ++p;
        while (*p && *p != L'"')
            ++p;
        return *p ? p + 1 : p;
    }
    while (*p && *p != L' ' && *p != L'\t')
        ++p;
    return p;
}

std::wstring guiPath()
{
    std::wstring self(32768, L'\0');
    const DWORD n = GetModuleFileNameW(nullptr, self.data(), DWORD(self.size()));
    self.resize(n);
    const std::size_t slash = self.find_last_of(L"\\/");
    const std::wstring dir = slash == std::wstring::npos ? L"" : self.substr(0, slash + 1);
    return dir + L"" PORTICO_GUI_EXECUTABLE;
}

} // namespace

/// Windows has no exec: the desktop app runs as a child and its exit code becomes ours. (The
/// Start menu and autostart entries start portico-gui.exe directly, without this console.)
int launchGui(char **)
{
    const std::wstring gui = guiPath();
    std::wstring commandLine = L"\"" + gui + L"\"" + argumentsAfterProgram(GetCommandLineW());
    STARTUPINFOW startup {};
    startup.cb = sizeof startup;
    PROCESS_INFORMATION process {};
    if (!CreateProcessW(gui.c_str(), commandLine.data(), nullptr, nullptr, FALSE, 0, nullptr,
            nullptr, &startup, &process)) {
        const DWORD error = GetLastError();
        if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND)
            std::fwprintf(stderr,
                L"portico: the desktop app is not installed (no %ls); run \"portico serve\" "
                L"for the headless daemon\n",
                gui.c_str());
        else
            std::fwprintf(stderr, L"portico: cannot start the desktop app %ls: error %lu\n",
                gui.c_str(), static_cast<unsigned long>(error));
        return 2;
    }
    WaitForSingleObject(process.hProcess, INFINITE);
    DWORD exitCode = 2;
    GetExitCodeProcess(process.hProcess, &exitCode);
    CloseHandle(process.hThread);
    CloseHandle(process.hProcess);
    return int(exitCode);
}

} // namespace portico::app
