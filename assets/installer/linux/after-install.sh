#!/bin/bash
# Wardkeep's .deb, after installing. electron-builder fills in the names in ${...}; shell
# variables here are written without braces so it leaves them alone. Based on electron-builder's
# own after-install template (the sandbox helper, desktop databases, AppArmor profile), plus
# Wardkeep's command line and its shared data folder (docs/deploy.md).

APP_DIR='/opt/${sanitizedProductName}'

# 1. The command line: /usr/bin/${executable} runs `wardkeep COMMAND ...` through the app
#    (resources/bin/wardkeep runs the app with --cli). The app itself opens from the desktop menu.
LAUNCHER="$APP_DIR/resources/bin/wardkeep"
chmod 0755 "$LAUNCHER" || true
if type update-alternatives >/dev/null 2>&1; then
    # Remove a previous link that does not use update-alternatives
    if [ -L '/usr/bin/${executable}' -a -e '/usr/bin/${executable}' -a "`readlink '/usr/bin/${executable}'`" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' "$LAUNCHER" 100 || ln -sf "$LAUNCHER" '/usr/bin/${executable}'
else
    ln -sf "$LAUNCHER" '/usr/bin/${executable}'
fi

# 2. Electron's sandbox: the SUID helper only where the kernel has no user namespaces.
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    chmod 4755 "$APP_DIR/chrome-sandbox" || true
else
    chmod 0755 "$APP_DIR/chrome-sandbox" || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi
if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# 3. The AppArmor profile (Ubuntu 23.10 and later restrict unprivileged user namespaces, which
#    Electron's sandbox needs: without it the app aborts at start). Installed only where this
#    AppArmor can parse it (abi/4.0; Ubuntu 22.04 runs fine without it).
if apparmor_status --enabled > /dev/null 2>&1; then
  APPARMOR_PROFILE_SOURCE="$APP_DIR/resources/apparmor-profile"
  APPARMOR_PROFILE_TARGET='/etc/apparmor.d/${executable}'
  if apparmor_parser --skip-kernel-load --debug "$APPARMOR_PROFILE_SOURCE" > /dev/null 2>&1; then
    cp -f "$APPARMOR_PROFILE_SOURCE" "$APPARMOR_PROFILE_TARGET"
    # Not in a chroot (an image being prepared): live loading makes no sense there.
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --replace --write-cache --skip-read-cache "$APPARMOR_PROFILE_TARGET"
    fi
  else
    echo "Skipping the installation of the AppArmor profile as this version of AppArmor does not seem to support the bundled profile"
  fi
fi

# 4. The PC's shared data folder, /var/lib/wardkeep: the database belongs to the PC, not to one
#    account. Members of the wardkeep group write it (setgid: new files get the group); the
#    accounts that can sign in to this PC now are made members, as the Windows installer lets
#    every user of the PC write. Accounts added later join with: sudo adduser NAME wardkeep
if ! getent group wardkeep > /dev/null 2>&1; then
    groupadd --system wardkeep 2>/dev/null || addgroup --system wardkeep
fi
install -d -m 2770 -o root -g wardkeep /var/lib/wardkeep
chgrp wardkeep /var/lib/wardkeep && chmod 2770 /var/lib/wardkeep
getent passwd | awk -F: '$3 >= 1000 && $3 < 60000 && $7 !~ /(nologin|false)$/ { print $1 }' | while read -r account; do
    usermod -a -G wardkeep "$account" || true
done
