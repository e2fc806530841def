#!/bin/bash
# Wardkeep's .deb, after removing (electron-builder fills in the names in ${...}). The data folder
# /var/lib/wardkeep and the wardkeep group are kept: the records are the hospital's, not the
# package's (remove them by hand if that is really wanted).

LAUNCHER='/opt/${sanitizedProductName}/resources/bin/wardkeep'
if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' "$LAUNCHER"
else
    rm -f '/usr/bin/${executable}'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  # Unload the profile before deleting it, so it is not enforced until the next reboot.
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi
