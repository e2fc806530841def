@echo off
rem The wardkeep command line of an installed Wardkeep, for Windows (docs\deploy.md).
rem It runs Wardkeep.exe with --cli: the command runs in the app's main process, with no window.
rem A batch file waits for the program and passes on its exit code (0, 1 or 2, docs\cli.md).
setlocal
"%~dp0..\..\Wardkeep.exe" --cli %*
exit /b %ERRORLEVEL%
