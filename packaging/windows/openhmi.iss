; Inno Setup script for the OpenHMI Windows installer: per-user install (no administrator rights),
; Start-menu entry, optional desktop icon, uninstaller. Build the bundle first, then on Windows:
;   python packaging\build.py
;   iscc /DAppVersion=0.1.0 packaging\windows\openhmi.iss
; The installer lands in dist\OpenHMI-<version>-windows-x64-setup.exe.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "OpenHMI"
#define AppExe "openhmi.exe"
#define Root "..\.."

[Setup]
AppId={{6F1D3C52-8E0B-4C7A-9A55-0E4A1D2B7C11}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=OpenHMI
AppComments=Open-source HMI/SCADA runtime for OPC-UA
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\resources\icons\openhmi.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Simplified Chinese setup texts are an unofficial Inno Setup translation: put ChineseSimplified.isl
; in the compiler's Languages folder and add
;   Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\openhmi\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{#AppName} (kiosk)"; Filename: "{app}\{#AppExe}"; Parameters: "--kiosk"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; History, alarm journal and settings live in the user's data folder and survive an uninstall.
