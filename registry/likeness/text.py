"""The biometric consent text a talent (her guardian, her estate) reads and signs: one version at a time.

The text is a constant: its version and SHA-256 are stored with every signature, so a consent always names
the exact words agreed to. Changing a word means a new CONSENT_TEXT_VERSION (and docs/biometric-consent.md);
consents signed under an earlier version stay in force with the text they name.
"""

from __future__ import annotations

import hashlib

from registry.likeness import faces

CONSENT_TEXT_VERSION = "2026-11"

CONSENT_TEXT = f"""\
Biometric consent: finding my face in reported misuse (text version {CONSENT_TEXT_VERSION})

1. What is computed. From each reference photo on my registry profile, the registry computes a face
   descriptor: 128 numbers that describe the geometry of the largest face in the photo. It is computed by
   the open-source dlib library, model "{faces.MODEL_NAME}".
   It is biometric data. Nothing is computed from voice samples. No descriptor is computed before I sign
   this consent.

2. Why. Only to find my likeness in content reported as misuse (for example an AI-generated picture of my
   face) and to let me check a suspicious image myself. Never to identify me anywhere else, never to
   train any model, never for advertising or profiling.

3. Who sees matches. Union staff working on the case desk, only. Matches are never shown to brands, the
   public or other members, never sent through the registry's API and never included in any export or
   licence. Only I (my guardian, my estate) see the result of a self-check.

4. Retention. Descriptors are kept while this consent is in force. They are deleted within minutes when I
   withdraw this consent, when I close my account, and (for one photo) when I delete that reference photo.
   They are never sold, leased, traded or shared, and never leave the registry.

5. How to withdraw. At any time, on the biometric consent page of my profile (or by writing to the union).
   Withdrawing deletes every descriptor at once and stops all matching; it does not affect my terms,
   licences or cases. The record of this consent (its text version, dates and signer) is kept as evidence
   of what was agreed.

6. It is optional. Saying no changes nothing else: the registry, my terms and the misuse desk work without
   it (matching then relies on copies of my photos only).
"""

CONSENT_TEXT_SHA256 = hashlib.sha256(CONSENT_TEXT.encode()).hexdigest()
