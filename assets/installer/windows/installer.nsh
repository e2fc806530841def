; Wardkeep's additions to electron-builder's NSIS installer (docs/deploy.md).
;
; The database belongs to the PC, not to one Windows account: %ProgramData%\Wardkeep\data, which
; every user of the PC may change. The folder above it holds the machine-wide setting file
; (wardkeep.json) and stays for administrators, so a user cannot point Wardkeep elsewhere.
; Groups are named by their SIDs (their names depend on the language of Windows):
;   S-1-5-18 SYSTEM, S-1-5-32-544 Administrators, S-1-5-32-545 Users.
; The uninstaller leaves both folders: the records are the hospital's.

!macro customInstall
  SetShellVarContext all
  CreateDirectory "$APPDATA\Wardkeep\data"
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$APPDATA\Wardkeep" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX'
  Pop $0
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$APPDATA\Wardkeep\data" /grant:r *S-1-5-32-545:(OI)(CI)M'
  Pop $0
!macroend
