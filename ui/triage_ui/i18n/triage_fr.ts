<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>* required for the cover sheet</source>
        <translation>* obligatoire pour la page de garde</translation>
    </message>
    <message>
        <source>Required: the cover sheet cannot be made without it.</source>
        <translation>Obligatoire : la page de garde ne peut pas être établie sans cette information.</translation>
    </message>
    <message>
        <source>This is not an e-mail address.</source>
        <translation>Ce n’est pas une adresse électronique.</translation>
    </message>
</context>
<context>
    <name>CaseInfoForm</name>
    <message>
        <source>Case number (required)</source>
        <translation>Numéro de dossier (obligatoire)</translation>
    </message>
    <message>
        <source>Examiner name (required)</source>
        <translation>Nom de l’examinateur (obligatoire)</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>Organisme</translation>
    </message>
    <message>
        <source>Examiner e-mail</source>
        <translation>Courriel de l’examinateur</translation>
    </message>
    <message>
        <source>Requesting authority</source>
        <translation>Autorité requérante</translation>
    </message>
    <message>
        <source>Requested authority</source>
        <translation>Autorité requise</translation>
    </message>
</context>
<context>
    <name>CasePropertiesDialog</name>
    <message>
        <source>Case properties</source>
        <translation>Propriétés du dossier</translation>
    </message>
    <message>
        <source>Case folder</source>
        <translation>Répertoire du dossier</translation>
    </message>
    <message>
        <source>The case is open read-only: %1</source>
        <translation>Le dossier est ouvert en lecture seule : %1</translation>
    </message>
    <message>
        <source>case number</source>
        <translation>numéro de dossier</translation>
    </message>
    <message>
        <source>examiner</source>
        <translation>examinateur</translation>
    </message>
    <message>
        <source>The %1 cannot be empty.</source>
        <translation>Champ obligatoire vide : %1.</translation>
    </message>
    <message>
        <source> and the </source>
        <translation> et </translation>
    </message>
</context>
<context>
    <name>DestinationPage</name>
    <message>
        <source>Destination and encryption</source>
        <translation>Destination et chiffrement</translation>
    </message>
    <message>
        <source>Where the bundle is written. A new folder is made for it; an existing folder must be empty. Nothing is ever overwritten.</source>
        <translation>Emplacement où le lot est écrit. Un nouveau répertoire est créé pour lui ; un répertoire existant doit être vide. Rien n’est jamais écrasé.</translation>
    </message>
    <message>
        <source>Put the bundle in a new folder inside it</source>
        <translation>Placer le lot dans un nouveau répertoire à l’intérieur de celui-ci</translation>
    </message>
    <message>
        <source>Folder for the bundle</source>
        <translation>Répertoire du lot</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Bundle folder *</source>
        <translation>Répertoire du lot *</translation>
    </message>
    <message>
        <source>Encrypt the bundle for the journey</source>
        <translation>Chiffrer le lot pour la transmission</translation>
    </message>
    <message>
        <source>The bundle then becomes one archive (the folder name followed by .tar.age) that only the recipients can open: give their public keys (they start with age1 or ssh-ed25519; separate several with commas), or a passphrase that you send through another channel (telephone, not the same e-mail).</source>
        <translation>Le lot devient alors une archive unique (le nom du répertoire suivi de .tar.age) que seuls les destinataires peuvent ouvrir : indiquez leurs clés publiques (elles commencent par age1 ou ssh-ed25519 ; séparez-en plusieurs par des virgules), ou une phrase secrète que vous transmettez par un autre canal (téléphone, pas le même courriel).</translation>
    </message>
    <message>
        <source>Recipients&apos; public keys</source>
        <translation>Clés publiques des destinataires</translation>
    </message>
    <message>
        <source>or a passphrase</source>
        <translation>ou une phrase secrète</translation>
    </message>
    <message>
        <source>Choose the folder the bundle goes to.</source>
        <translation>Choisissez le répertoire de destination du lot.</translation>
    </message>
    <message>
        <source>%1 already exists, and nothing is overwritten: choose another name.</source>
        <translation>%1 existe déjà, et rien n’est écrasé : choisissez un autre nom.</translation>
    </message>
    <message>
        <source>This is a file, not a folder.</source>
        <translation>Ceci est un fichier, pas un répertoire.</translation>
    </message>
    <message>
        <source>This folder is not empty, and nothing is ever overwritten: choose a new or empty folder.</source>
        <translation>Ce répertoire n’est pas vide, et rien n’est jamais écrasé : choisissez un répertoire nouveau ou vide.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist: the bundle folder must be made inside an existing one.</source>
        <translation>Le répertoire %1 n’existe pas : le répertoire du lot doit être créé dans un répertoire existant.</translation>
    </message>
    <message>
        <source>Give at least one recipient&apos;s public key or a passphrase, or untick encryption.</source>
        <translation>Indiquez au moins la clé publique d’un destinataire ou une phrase secrète, ou décochez le chiffrement.</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>Metadata</source>
        <translation>Métadonnées</translation>
    </message>
    <message>
        <source>◀ Previous match</source>
        <translation>◀ Précédente</translation>
    </message>
    <message>
        <source>Next match ▶</source>
        <translation>Suivante ▶</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>Correspondance précédente (Maj+F3)</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>Correspondance suivante (F3)</translation>
    </message>
    <message>
        <source>no matches</source>
        <translation>aucune correspondance</translation>
    </message>
    <message>
        <source>go to offset (0x… or decimal)</source>
        <translation>aller au décalage (0x… ou décimal)</translation>
    </message>
    <message>
        <source>Hex</source>
        <translation>Hexa</translation>
    </message>
    <message>
        <source>Encoding:</source>
        <translation>Encodage :</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texte</translation>
    </message>
    <message>
        <source>No preview</source>
        <translation>Pas d’aperçu</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>tag (e.g. relevant, privileged, export)</source>
        <translation>étiquette (p. ex. pertinent, confidentiel, export)</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>Ajouter l’étiquette</translation>
    </message>
    <message>
        <source>Remove selected tag</source>
        <translation>Retirer l’étiquette sélectionnée</translation>
    </message>
    <message>
        <source>Notes (stored in the case and in the audit log):</source>
        <translation>Notes (enregistrées dans le dossier et dans le journal d’audit) :</translation>
    </message>
    <message>
        <source>write a note about this file</source>
        <translation>écrire une note sur ce fichier</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Ajouter une note</translation>
    </message>
    <message>
        <source>Tags &amp;&amp; notes</source>
        <translation>Étiquettes &amp;&amp; notes</translation>
    </message>
    <message>
        <source>Select a file.</source>
        <translation>Sélectionnez un fichier.</translation>
    </message>
    <message>
        <source>extracted text of {member}</source>
        <translation>texte extrait de {member}</translation>
    </message>
    <message>
        <source>extracted text</source>
        <translation>texte extrait</translation>
    </message>
    <message>
        <source> (pieces missing: indexed in part)</source>
        <translation> (morceaux manquants : indexé en partie)</translation>
    </message>
    <message>
        <source>{where}, character {offset}{note}; choose an encoding for the file&apos;s bytes</source>
        <translation>{where}, caractère {offset}{note} ; choisissez un encodage pour les octets du fichier</translation>
    </message>
    <message>
        <source>{text!r} is in the document&apos;s extracted text only</source>
        <translation>{text!r} ne figure que dans le texte extrait du document</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Créé (UTC)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Chemin</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Nature</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Supprimé</translation>
    </message>
    <message>
        <source>Orphan</source>
        <translation>Orphelin</translation>
    </message>
    <message>
        <source>Modified (UTC)</source>
        <translation>Modifié (UTC)</translation>
    </message>
    <message>
        <source>Accessed (UTC)</source>
        <translation>Consulté (UTC)</translation>
    </message>
    <message>
        <source>Changed (UTC)</source>
        <translation>Métadonnées changées (UTC)</translation>
    </message>
    <message>
        <source>Content type</source>
        <translation>Type de contenu</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Extension contradicts content</source>
        <translation>L’extension contredit le contenu</translation>
    </message>
    <message>
        <source>YES</source>
        <translation>OUI</translation>
    </message>
    <message>
        <source>Scan status</source>
        <translation>État de l’analyse</translation>
    </message>
    <message>
        <source>Inode</source>
        <translation>Inode</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Flux</translation>
    </message>
    <message>
        <source>File id</source>
        <translation>N° de fichier</translation>
    </message>
    <message>
        <source>Name bytes (hex)</source>
        <translation>Octets du nom (hexa)</translation>
    </message>
    <message>
        <source>{hex} ({reason}: the name shows them escaped, \xHH per byte, \\ per backslash)</source>
        <translation>{hex} ({reason} : le nom les montre échappés, \xHH par octet, \\ par barre oblique inverse)</translation>
    </message>
    <message>
        <source>$FN modified (UTC)</source>
        <translation>$FN modifié (UTC)</translation>
    </message>
    <message>
        <source>$FN accessed (UTC)</source>
        <translation>$FN consulté (UTC)</translation>
    </message>
    <message>
        <source>$FN changed (UTC)</source>
        <translation>$FN métadonnées changées (UTC)</translation>
    </message>
    <message>
        <source>$FN created (UTC)</source>
        <translation>$FN créé (UTC)</translation>
    </message>
    <message>
        <source>Timestomping sign</source>
        <translation>Indice de falsification des horodatages</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <source>Damage</source>
        <translation>Dommages</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>Contenu</translation>
    </message>
    <message>
        <source>unavailable: {error}</source>
        <translation>indisponible : {error}</translation>
    </message>
    <message>
        <source>Analyzer results</source>
        <translation>Résultats des analyseurs</translation>
    </message>
    <message>
        <source>EXIF</source>
        <translation>EXIF</translation>
    </message>
    <message>
        <source>unreadable: {reason}</source>
        <translation>illisible : {reason}</translation>
    </message>
    <message>
        <source>no camera, time or position recorded</source>
        <translation>ni appareil, ni date, ni position enregistrés</translation>
    </message>
    <message>
        <source>Camera make (EXIF)</source>
        <translation>Marque de l’appareil (EXIF)</translation>
    </message>
    <message>
        <source>Camera model (EXIF)</source>
        <translation>Modèle de l’appareil (EXIF)</translation>
    </message>
    <message>
        <source>Taken (EXIF, camera&apos;s clock)</source>
        <translation>Prise de vue (EXIF, horloge de l’appareil)</translation>
    </message>
    <message>
        <source>GPS position (EXIF)</source>
        <translation>Position GPS (EXIF)</translation>
    </message>
    <message>
        <source>no content</source>
        <translation>aucun contenu</translation>
    </message>
    <message>
        <source> (first {n} of {size} bytes)</source>
        <translation> ({n} premiers octets sur {size})</translation>
    </message>
    <message>
        <source>No preview (not an image)</source>
        <translation>Pas d’aperçu (ce n’est pas une image)</translation>
    </message>
    <message>
        <source>No preview: larger than {n} MiB</source>
        <translation>Pas d’aperçu : plus de {n} Mio</translation>
    </message>
    <message>
        <source>No preview: the image cannot be decoded</source>
        <translation>Pas d’aperçu : l’image ne peut pas être décodée</translation>
    </message>
    <message>
        <source>No notes.</source>
        <translation>Aucune note.</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1 correspondance</translation>
    </message>
    <message>
        <source>{n} matches</source>
        <translation>{n} correspondances</translation>
    </message>
    <message>
        <source>match {i} of {n} at offset {hex} ({offset}), {length} bytes</source>
        <translation>correspondance {i} sur {n} au décalage {hex} ({offset}), {length} octets</translation>
    </message>
    <message>
        <source>yes, and its metadata is allocated again (deleted-realloc): times and content may be another file&apos;s</source>
        <translation>oui, et ses métadonnées sont de nouveau allouées (deleted-realloc) : les dates et le contenu peuvent être ceux d’un autre fichier</translation>
    </message>
</context>
<context>
    <name>DraftDialog</name>
    <message>
        <source>Draft preservation request</source>
        <translation>Projet de demande de conservation</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: a draft request for the data of these identifiers, in the instrument the requesting State and the provider call for (EPOC-PR, Second Additional Protocol art. 7, Budapest Convention art. 29 …), citing the source files and their SHA-256. What you leave empty is written as “[to be completed]”.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; : un projet de demande portant sur les données de ces identifiants, selon l’instrument qu’appellent l’État requérant et le fournisseur (EPOC-PR, deuxième Protocole additionnel art. 7, Convention de Budapest art. 29 …), citant les fichiers sources et leur SHA-256. Ce que vous laissez vide est écrit « [à compléter] ».</translation>
    </message>
    <message>
        <source>optional: more request details from a file (TOML)</source>
        <translation>facultatif : détails supplémentaires de la demande depuis un fichier (TOML)</translation>
    </message>
    <message>
        <source>Folder for the drafts *</source>
        <translation>Répertoire des projets *</translation>
    </message>
    <message>
        <source>Request details file</source>
        <translation>Fichier des détails de la demande</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Automatic (from the States and the provider)</source>
        <translation>Automatique (selon les États et le fournisseur)</translation>
    </message>
    <message>
        <source>Instrument</source>
        <translation>Instrument</translation>
    </message>
    <message>
        <source>Language of the draft</source>
        <translation>Langue du projet</translation>
    </message>
    <message>
        <source>Quote the text around each identifier (other identifiers in it are redacted)</source>
        <translation>Citer le texte autour de chaque identifiant (les autres identifiants y sont masqués)</translation>
    </message>
    <message>
        <source>DOCX (to edit and sign)</source>
        <translation>DOCX (à compléter et signer)</translation>
    </message>
    <message>
        <source>JSON (case-management systems)</source>
        <translation>JSON (logiciels de gestion des procédures)</translation>
    </message>
    <message>
        <source>Add every virtual-currency address of the case (for exchanges)</source>
        <translation>Ajouter toutes les adresses de crypto-actifs du dossier (pour les plateformes d’échange)</translation>
    </message>
    <message>
        <source>Write drafts</source>
        <translation>Écrire les projets</translation>
    </message>
    <message>
        <source>Choose the folder the drafts go to (a new one is made).</source>
        <translation>Choisissez le répertoire de destination des projets (un nouveau répertoire est créé).</translation>
    </message>
    <message>
        <source>This is a file, not a folder.</source>
        <translation>Ceci est un fichier, pas un répertoire.</translation>
    </message>
    <message>
        <source>Choose DOCX, JSON or both.</source>
        <translation>Choisissez DOCX, JSON ou les deux.</translation>
    </message>
    <message>
        <source>This folder already holds drafts for this group (%1). Press “%2” to replace them, or choose another folder.</source>
        <translation>Ce répertoire contient déjà des projets pour ce groupe (%1). Cliquez sur « %2 » pour les remplacer, ou choisissez un autre répertoire.</translation>
    </message>
    <message>
        <source>Replace them</source>
        <translation>Les remplacer</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Unexpected error ({error}). The details were written to {log}.</source>
        <translation>Erreur inattendue ({error}). Les détails ont été écrits dans {log}.</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
</context>
<context>
    <name>EvidenceTreeModel</name>
    <message>
        <source>Evidence</source>
        <translation>Éléments de preuve</translation>
    </message>
    <message>
        <source>{label}  [mounted at {mountpoint}]</source>
        <translation>{label}  [monté sur {mountpoint}]</translation>
    </message>
    <message>
        <source>{path}
{format}, {size} bytes</source>
        <translation>{path}
{format}, {size} octets</translation>
    </message>
    <message>
        <source>offset {offset} bytes, length {length} bytes</source>
        <translation>décalage {offset} octets, longueur {length} octets</translation>
    </message>
    <message>
        <source>error: {error}</source>
        <translation>erreur : {error}</translation>
    </message>
    <message>
        <source>{path}
{kind} container: its members are inside, as {path}//member</source>
        <translation>{path}
conteneur {kind} : ses éléments sont à l’intérieur, sous {path}//élément</translation>
    </message>
    <message>
        <source>Files carved from this partition&apos;s unallocated space</source>
        <translation>Fichiers récupérés par carving dans l’espace non alloué de cette partition</translation>
    </message>
    <message>
        <source>{path}
member {member} of its container</source>
        <translation>{path}
élément {member} de son conteneur</translation>
    </message>
    <message>
        <source>{path}
carved from unallocated space</source>
        <translation>{path}
récupéré par carving dans l’espace non alloué</translation>
    </message>
    <message>
        <source>{path}
a folder inside a container</source>
        <translation>{path}
un dossier à l’intérieur d’un conteneur</translation>
    </message>
    <message>
        <source>Carved ({count})</source>
        <translation>Récupérés par carving ({count})</translation>
    </message>
    <message>
        <source>{name}  [{kind} container]</source>
        <translation>{name}  [conteneur {kind}]</translation>
    </message>
    <message>
        <source>{name}  [container]</source>
        <translation>{name}  [conteneur]</translation>
    </message>
    <message>
        <source>no file system</source>
        <translation>aucun système de fichiers</translation>
    </message>
    <message>
        <source>Partition {idx}</source>
        <translation>Partition {idx}</translation>
    </message>
    <message>
        <source>{name} (deleted)</source>
        <translation>{name} (supprimé)</translation>
    </message>
</context>
<context>
    <name>ExportWizard</name>
    <message>
        <source>Export bundle</source>
        <translation>Exporter un lot</translation>
    </message>
    <message>
        <source>Exporting %1 files to %2: each is re-read from the evidence and re-hashed, then the bundle is verified…</source>
        <translation>Export de %1 fichiers vers %2 : chacun est relu depuis l’élément de preuve et son empreinte recalculée, puis le lot est vérifié…</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>Annuler l’export</translation>
    </message>
    <message>
        <source>%1 of %2: %3</source>
        <translation>%1 sur %2 : %3</translation>
    </message>
    <message>
        <source>Cancelling: the partial bundle is being removed…</source>
        <translation>Annulation : le lot partiel est en cours de suppression…</translation>
    </message>
    <message>
        <source>Archive SHA-256</source>
        <translation>Empreinte SHA-256 de l’archive</translation>
    </message>
    <message>
        <source>manifest-sha256.txt SHA-256</source>
        <translation>Empreinte SHA-256 de manifest-sha256.txt</translation>
    </message>
    <message>
        <source>not signed</source>
        <translation>non signé</translation>
    </message>
    <message>
        <source>%1 files, %2 bytes; %3 left out (see data/inventory/left-out.csv)</source>
        <translation>%1 fichiers, %2 octets ; %3 exclus (voir data/inventory/left-out.csv)</translation>
    </message>
    <message>
        <source> · NOT SIGNED</source>
        <translation> · NON SIGNÉ</translation>
    </message>
    <message>
        <source>Check the signer against (allowed signers file)</source>
        <translation>Vérifier le signataire par rapport à (fichier des signataires autorisés)</translation>
    </message>
    <message>
        <source>Check the signer against</source>
        <translation>Vérifier le signataire par rapport à</translation>
    </message>
    <message>
        <source>optional: an allowed signers file the recipient will trust</source>
        <translation>facultatif : un fichier des signataires autorisés auquel le destinataire se fiera</translation>
    </message>
    <message>
        <source>The archive is encrypted to the recipients&apos; keys, so it cannot be opened here. The bag was verified before encryption: %1.</source>
        <translation>L’archive est chiffrée pour les clés des destinataires ; elle ne peut donc pas être ouverte ici. Vérification du lot avant le chiffrement : %1.</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>réussie</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>ÉCHEC</translation>
    </message>
    <message>
        <source>Only the recipients can open an archive encrypted to their keys</source>
        <translation>Seuls les destinataires peuvent ouvrir une archive chiffrée pour leurs clés</translation>
    </message>
    <message>
        <source>The bundle was written. Verifying it as the recipient will…</source>
        <translation>Le lot a été écrit. Vérification telle que le destinataire la fera…</translation>
    </message>
    <message>
        <source>verifying…</source>
        <translation>vérification…</translation>
    </message>
    <message>
        <source>NOT CHECKED</source>
        <translation>NON VÉRIFIÉ</translation>
    </message>
    <message>
        <source>There is no file at %1.</source>
        <translation>Il n’y a aucun fichier à l’emplacement %1.</translation>
    </message>
    <message>
        <source>Verification failed: %1</source>
        <translation>Échec de la vérification : %1</translation>
    </message>
    <message>
        <source>PASSED</source>
        <translation>RÉUSSIE</translation>
    </message>
    <message>
        <source>[warning] %1</source>
        <translation>[avertissement] %1</translation>
    </message>
    <message>
        <source>The bundle was written and verified: every check passed.</source>
        <translation>Le lot a été écrit et vérifié : tous les contrôles ont réussi.</translation>
    </message>
    <message>
        <source>The bundle was written but did NOT verify: do not send it.</source>
        <translation>Le lot a été écrit mais la vérification a ÉCHOUÉ : ne l’envoyez pas.</translation>
    </message>
    <message>
        <source>CANCELLED</source>
        <translation>ANNULÉ</translation>
    </message>
    <message>
        <source>NOT EXPORTED</source>
        <translation>NON EXPORTÉ</translation>
    </message>
    <message>
        <source>%1 (details in the log file)</source>
        <translation>%1 (détails dans le fichier journal)</translation>
    </message>
    <message>
        <source>Export cancelled: %1</source>
        <translation>Export annulé : %1</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Échec de l’export : %1</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>FileTableModel</name>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Nature</translation>
    </message>
    <message>
        <source>Content type</source>
        <translation>Type de contenu</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Supprimé</translation>
    </message>
    <message>
        <source>Modified (UTC)</source>
        <translation>Modifié (UTC)</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Créé (UTC)</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Analyse</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Chemin</translation>
    </message>
    <message>
        <source>member {member} of its container</source>
        <translation>élément {member} de son conteneur</translation>
    </message>
    <message>
        <source>carved from unallocated space</source>
        <translation>récupéré par carving dans l’espace non alloué</translation>
    </message>
    <message>
        <source>{kind} (member)</source>
        <translation>{kind} (élément)</translation>
    </message>
    <message>
        <source>{kind} (carved)</source>
        <translation>{kind} (carving)</translation>
    </message>
</context>
<context>
    <name>FindingsModel</name>
    <message>
        <source>Finding</source>
        <translation>Constatation</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Décalage</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
    <message>
        <source>YARA rule</source>
        <translation>Règle YARA</translation>
    </message>
    <message>
        <source>Hash set</source>
        <translation>Jeu d’empreintes (hash)</translation>
    </message>
    <message>
        <source>Interesting file</source>
        <translation>Fichier intéressant</translation>
    </message>
    <message>
        <source>Type mismatch</source>
        <translation>Type incohérent</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <source>match</source>
        <translation>correspondance</translation>
    </message>
    <message>
        <source>(no file)</source>
        <translation>(aucun fichier)</translation>
    </message>
    <message>
        <source>{n} bytes</source>
        <translation>{n} octets</translation>
    </message>
    <message>
        <source>1 file</source>
        <translation>1 fichier</translation>
    </message>
    <message>
        <source>{n} files</source>
        <translation>{n} fichiers</translation>
    </message>
    <message>
        <source>Problems ({count})</source>
        <translation>Problèmes ({count})</translation>
    </message>
    <message>
        <source>nothing was skipped silently</source>
        <translation>rien n’a été ignoré en silence</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1 correspondance</translation>
    </message>
    <message>
        <source>{n} matches</source>
        <translation>{n} correspondances</translation>
    </message>
</context>
<context>
    <name>GalleryModel</name>
    <message>
        <source> (deleted)</source>
        <translation> (supprimé)</translation>
    </message>
    <message>
        <source>{path}{extra}
No thumbnail: {error}</source>
        <translation>{path}{extra}
Pas de vignette : {error}</translation>
    </message>
    <message>
        <source>the cached thumbnail is not a PNG</source>
        <translation>la vignette en cache n’est pas un PNG</translation>
    </message>
    <message>
        <source>no thumbnail</source>
        <translation>pas de vignette</translation>
    </message>
</context>
<context>
    <name>GalleryView</name>
    <message>
        <source>Tag selected pictures…</source>
        <translation>Étiqueter les images sélectionnées…</translation>
    </message>
    <message>
        <source>Open in the detail pane</source>
        <translation>Ouvrir dans le panneau de détail</translation>
    </message>
    <message>
        <source>No case open</source>
        <translation>Aucun dossier ouvert</translation>
    </message>
    <message>
        <source>No pictures in this view (pictures are typed by the scan)</source>
        <translation>Aucune image dans cette vue (les images sont reconnues par l’analyse)</translation>
    </message>
    <message>
        <source>{n} pictures</source>
        <translation>{n} images</translation>
    </message>
</context>
<context>
    <name>HexView</name>
    <message>
        <source>No content</source>
        <translation>Aucun contenu</translation>
    </message>
</context>
<context>
    <name>HistogramWidget</name>
    <message>
        <source>no events there: zoom in over a bar</source>
        <translation>aucun événement ici : zoomez sur une barre</translation>
    </message>
    <message>
        <source>No events (no case, nothing inventoried, or the filters exclude everything)</source>
        <translation>Aucun événement (aucun dossier, rien d’inventorié, ou les filtres excluent tout)</translation>
    </message>
    <message>
        <source>events, log scale</source>
        <translation>événements, échelle logarithmique</translation>
    </message>
    <message>
        <source>events</source>
        <translation>événements</translation>
    </message>
    <message>
        <source>counting…</source>
        <translation>comptage…</translation>
    </message>
    <message>
        <source>{span}
{n} events</source>
        <translation>{span}
{n} événements</translation>
    </message>
    <message>
        <source>, {n} of files with findings</source>
        <translation>, dont {n} de fichiers avec constatations</translation>
    </message>
</context>
<context>
    <name>IdentifiersModel</name>
    <message>
        <source>Provider / identifier</source>
        <translation>Fournisseur / identifiant</translation>
    </message>
    <message>
        <source>Jurisdiction</source>
        <translation>Juridiction</translation>
    </message>
    <message>
        <source>Identifiers</source>
        <translation>Identifiants</translation>
    </message>
    <message>
        <source>Occurrences</source>
        <translation>Occurrences</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <source>First seen (UTC)</source>
        <translation>Première apparition (UTC)</translation>
    </message>
    <message>
        <source>Last seen (UTC)</source>
        <translation>Dernière apparition (UTC)</translation>
    </message>
</context>
<context>
    <name>IdentifiersPanel</name>
    <message>
        <source>All kinds</source>
        <translation>Toutes les sortes</translation>
    </message>
    <message>
        <source>Draft preservation request…</source>
        <translation>Demande de conservation…</translation>
    </message>
    <message>
        <source>Write a draft request (DOCX and JSON) for the selected provider or group</source>
        <translation>Rédiger un projet de demande (DOCX et JSON) pour le fournisseur ou le groupe sélectionné</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>chargement…</translation>
    </message>
    <message>
        <source>{n} identifiers in {groups} groups</source>
        <translation>{n} identifiants dans {groups} groupes</translation>
    </message>
    <message>
        <source>No identifiers (scan with the &apos;identifiers&apos; analyzer)</source>
        <translation>Aucun identifiant (analysez avec l’analyseur « identifiers »)</translation>
    </message>
    <message>
        <source>cannot load identifiers: {error}</source>
        <translation>impossible de charger les identifiants : {error}</translation>
    </message>
    <message>
        <source>Identifier {value}</source>
        <translation>Identifiant {value}</translation>
    </message>
    <message>
        <source>Identifiers: {group}</source>
        <translation>Identifiants : {group}</translation>
    </message>
    <message>
        <source>open a case first</source>
        <translation>ouvrez d’abord un dossier</translation>
    </message>
    <message>
        <source>select a provider or group first</source>
        <translation>sélectionnez d’abord un fournisseur ou un groupe</translation>
    </message>
    <message>
        <source>No draft written: %1</source>
        <translation>Aucun projet écrit : %1</translation>
    </message>
    <message>
        <source>Writing drafts for %1 to %2…</source>
        <translation>Écriture des projets pour %1 dans %2…</translation>
    </message>
    <message>
        <source>choose DOCX, JSON or both</source>
        <translation>choisissez DOCX, JSON ou les deux</translation>
    </message>
    <message>
        <source>drafts are being written</source>
        <translation>les projets sont en cours d’écriture</translation>
    </message>
    <message>
        <source>Drafts written (check and complete them before sending):</source>
        <translation>Projets écrits (vérifiez-les et complétez-les avant l’envoi) :</translation>
    </message>
</context>
<context>
    <name>Kind</name>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>répertoire</translation>
    </message>
    <message>
        <source>link</source>
        <translation>lien</translation>
    </message>
    <message>
        <source>virtual folder</source>
        <translation>répertoire virtuel</translation>
    </message>
    <message>
        <source>virtual file</source>
        <translation>fichier virtuel</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>System language</source>
        <extracomment>code → name of the language in that language (&quot;&quot; follows the system locale)</extracomment>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>takes effect when the workstation is restarted</source>
        <translation>prend effet au prochain démarrage de la station</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Disk images (*.raw *.dd *.img *.bin *.001 *.E01 *.e01 *.Ex01 *.vmdk *.vhd *.vhdx *.qcow2 *.qcow);;All files (*)</source>
        <translation>Images disque (*.raw *.dd *.img *.bin *.001 *.E01 *.e01 *.Ex01 *.vmdk *.vhd *.vhdx *.qcow2 *.qcow);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Mount</source>
        <translation>Montage</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>Éléments de preuve</translation>
    </message>
    <message>
        <source>Filter by name (Ctrl+F)</source>
        <translation>Filtrer par nom (Ctrl+F)</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Constatations</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Analyse</translation>
    </message>
    <message>
        <source>Identifiers</source>
        <translation>Identifiants</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problèmes</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Chronologie</translation>
    </message>
    <message>
        <source>No case open</source>
        <translation>Aucun dossier ouvert</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <source>Gallery</source>
        <translation>Galerie</translation>
    </message>
    <message>
        <source>&amp;Case</source>
        <translation>&amp;Dossier</translation>
    </message>
    <message>
        <source>&amp;New case…</source>
        <translation>&amp;Nouveau dossier…</translation>
    </message>
    <message>
        <source>&amp;Open case…</source>
        <translation>&amp;Ouvrir un dossier…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Ouvrir un dossier &amp;récent</translation>
    </message>
    <message>
        <source>Add &amp;evidence…</source>
        <translation>Ajouter un élément de &amp;preuve…</translation>
    </message>
    <message>
        <source>Evidence &amp;properties…</source>
        <translation>Propriétés de l’élément de pr&amp;euve…</translation>
    </message>
    <message>
        <source>Re&amp;move evidence…</source>
        <translation>&amp;Retirer l’élément de preuve…</translation>
    </message>
    <message>
        <source>Case propert&amp;ies…</source>
        <translation>Propriétés du doss&amp;ier…</translation>
    </message>
    <message>
        <source>E&amp;xport bundle…</source>
        <translation>E&amp;xporter un lot…</translation>
    </message>
    <message>
        <source>Ex&amp;amination report…</source>
        <translation>Rapport d’e&amp;xamen…</translation>
    </message>
    <message>
        <source>&amp;Close case</source>
        <translation>&amp;Fermer le dossier</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Édition</translation>
    </message>
    <message>
        <source>&amp;Tag selected files…</source>
        <translation>É&amp;tiqueter les fichiers sélectionnés…</translation>
    </message>
    <message>
        <source>Add &amp;note to file…</source>
        <translation>Ajouter une &amp;note au fichier…</translation>
    </message>
    <message>
        <source>&amp;Filter files</source>
        <translation>&amp;Filtrer les fichiers</translation>
    </message>
    <message>
        <source>&amp;Search the case…</source>
        <translation>&amp;Rechercher dans le dossier…</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>Show &amp;timeline</source>
        <translation>Afficher la &amp;chronologie</translation>
    </message>
    <message>
        <source>Show &amp;gallery</source>
        <translation>Afficher la &amp;galerie</translation>
    </message>
    <message>
        <source>Show &amp;problems</source>
        <translation>Afficher les &amp;problèmes</translation>
    </message>
    <message>
        <source>Reset &amp;layout</source>
        <translation>Réinitialiser la &amp;disposition</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>Correspondance suivante</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>Correspondance précédente</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>&amp;Scan</source>
        <translation>A&amp;nalyse</translation>
    </message>
    <message>
        <source>&amp;Start scan</source>
        <translation>&amp;Démarrer l’analyse</translation>
    </message>
    <message>
        <source>&amp;Pause / continue</source>
        <translation>&amp;Pause / reprise</translation>
    </message>
    <message>
        <source>&amp;Cancel scan</source>
        <translation>&amp;Annuler l’analyse</translation>
    </message>
    <message>
        <source>&amp;Resume interrupted scan</source>
        <translation>&amp;Reprendre une analyse interrompue</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Outils</translation>
    </message>
    <message>
        <source>&amp;Rule library…</source>
        <translation>Bibliothèque de &amp;règles…</translation>
    </message>
    <message>
        <source>&amp;Plugins…</source>
        <translation>&amp;Extensions…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>Ouvrir le répertoire des &amp;journaux</translation>
    </message>
    <message>
        <source>&amp;About triage</source>
        <translation>À &amp;propos de triage</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Barre d’outils principale</translation>
    </message>
    <message>
        <source>Open case folder</source>
        <translation>Ouvrir le répertoire d’un dossier</translation>
    </message>
    <message>
        <source>a scan is running: cancel it before closing the case</source>
        <translation>une analyse est en cours : annulez-la avant de fermer le dossier</translation>
    </message>
    <message>
        <source>Evidence is being removed: wait until it is done.</source>
        <translation>Un élément de preuve est en cours de retrait : attendez la fin.</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>Tous les fichiers</translation>
    </message>
    <message>
        <source> (read-only: {reason})</source>
        <translation> (lecture seule : {reason})</translation>
    </message>
    <message>
        <source>last scan {status} {time}</source>
        <translation>dernière analyse {status} {time}</translation>
    </message>
    <message>
        <source>open or create a case first</source>
        <translation>ouvrez ou créez d’abord un dossier</translation>
    </message>
    <message>
        <source>Add evidence (first segment of split or E01 sets)</source>
        <translation>Ajouter un élément de preuve (premier segment des images fractionnées ou E01)</translation>
    </message>
    <message>
        <source>Added {n} evidence item(s); press F5 to scan</source>
        <translation>{n} élément(s) de preuve ajouté(s) ; appuyez sur F5 pour analyser</translation>
    </message>
    <message>
        <source>this case has no evidence yet</source>
        <translation>ce dossier ne contient encore aucun élément de preuve</translation>
    </message>
    <message>
        <source>A scan is running: cancel it or let it finish before removing evidence.</source>
        <translation>Une analyse est en cours : annulez-la ou attendez sa fin avant de retirer un élément de preuve.</translation>
    </message>
    <message>
        <source>This evidence is mounted: unmount it before removing it.</source>
        <translation>Cet élément de preuve est monté : démontez-le avant de le retirer.</translation>
    </message>
    <message>
        <source>Remove evidence</source>
        <translation>Retirer l’élément de preuve</translation>
    </message>
    <message>
        <source>Remove %1 from the case?

%2

Its %3 files and their findings, problems, tags, notes and thumbnails are deleted from the case. The image itself is not changed, and the audit log keeps a record of the removal.</source>
        <translation>Retirer %1 du dossier ?

%2

Ses %3 fichiers et leurs constatations, problèmes, étiquettes, notes et vignettes sont supprimés du dossier. L’image elle-même n’est pas modifiée, et le journal d’audit garde une trace du retrait.</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>Retirer %1</translation>
    </message>
    <message>
        <source>Select the evidence item to remove in the evidence tree.</source>
        <translation>Sélectionnez dans l’arborescence l’élément de preuve à retirer.</translation>
    </message>
    <message>
        <source>Removing evidence %1…</source>
        <translation>Retrait de l’élément de preuve %1…</translation>
    </message>
    <message>
        <source>Removed %1 and its results</source>
        <translation>%1 et ses résultats ont été retirés</translation>
    </message>
    <message>
        <source>Carved files</source>
        <translation>Fichiers récupérés par carving</translation>
    </message>
    <message>
        <source>Members of {path}</source>
        <translation>Éléments de {path}</translation>
    </message>
    <message>
        <source>Folder {path} (partition {idx})</source>
        <translation>Répertoire {path} (partition {idx})</translation>
    </message>
    <message>
        <source>Folder {path}</source>
        <translation>Répertoire {path}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{scope}&lt;/b&gt; · {rows}{more} rows loaded</source>
        <translation>&lt;b&gt;{scope}&lt;/b&gt; · {rows}{more} lignes chargées</translation>
    </message>
    <message>
        <source> · name contains “{text}”</source>
        <translation> · le nom contient « {text} »</translation>
    </message>
    <message>
        <source>Tag selected files…</source>
        <translation>Étiqueter les fichiers sélectionnés…</translation>
    </message>
    <message>
        <source>Export selected files…</source>
        <translation>Exporter les fichiers sélectionnés…</translation>
    </message>
    <message>
        <source>Save search</source>
        <translation>Enregistrer la recherche</translation>
    </message>
    <message>
        <source>Keyword list (new or existing):</source>
        <translation>Liste de mots-clés (nouvelle ou existante) :</translation>
    </message>
    <message>
        <source>Saved in keyword list {name} (terms: {n}, findings: {found})</source>
        <translation>Enregistré dans la liste de mots-clés {name} (termes : {n}, constatations : {found})</translation>
    </message>
    <message>
        <source>{path}: volume offset {offset} ({hex})</source>
        <translation>{path} : décalage {offset} dans le volume ({hex})</translation>
    </message>
    <message>
        <source>Mount read-only…</source>
        <translation>Monter en lecture seule…</translation>
    </message>
    <message>
        <source>Open in file manager</source>
        <translation>Ouvrir dans le gestionnaire de fichiers</translation>
    </message>
    <message>
        <source>Unmount</source>
        <translation>Démonter</translation>
    </message>
    <message>
        <source>Properties…</source>
        <translation>Propriétés…</translation>
    </message>
    <message>
        <source>Remove evidence…</source>
        <translation>Retirer l’élément de preuve…</translation>
    </message>
    <message>
        <source>Open in file manager (mount the evidence first)</source>
        <translation>Ouvrir dans le gestionnaire de fichiers (montez d’abord l’élément de preuve)</translation>
    </message>
    <message>
        <source>Mount {name} read-only: choose an empty folder</source>
        <translation>Monter {name} en lecture seule : choisissez un répertoire vide</translation>
    </message>
    <message>
        <source>Mounting {name} at {mountpoint}…</source>
        <translation>Montage de {name} sur {mountpoint}…</translation>
    </message>
    <message>
        <source>Mounted read-only at {mountpoint}</source>
        <translation>Monté en lecture seule sur {mountpoint}</translation>
    </message>
    <message>
        <source>Unmounted</source>
        <translation>Démonté</translation>
    </message>
    <message>
        <source>mount the evidence first (right-click it: Mount read-only…)</source>
        <translation>montez d’abord l’élément de preuve (clic droit : Monter en lecture seule…)</translation>
    </message>
    <message>
        <source>no file manager could open {target}</source>
        <translation>aucun gestionnaire de fichiers n’a pu ouvrir {target}</translation>
    </message>
    <message>
        <source>open a case first</source>
        <translation>ouvrez d’abord un dossier</translation>
    </message>
    <message>
        <source>select one or more files to tag</source>
        <translation>sélectionnez un ou plusieurs fichiers à étiqueter</translation>
    </message>
    <message>
        <source>Tag files</source>
        <translation>Étiqueter des fichiers</translation>
    </message>
    <message>
        <source>Tag for {n} file(s):</source>
        <translation>Étiquette pour {n} fichier(s) :</translation>
    </message>
    <message>
        <source>a tag cannot be empty</source>
        <translation>une étiquette ne peut pas être vide</translation>
    </message>
    <message>
        <source>Tagged {n} file(s) “{tag}”</source>
        <translation>{n} fichier(s) étiqueté(s) « {tag} »</translation>
    </message>
    <message>
        <source>select a file first</source>
        <translation>sélectionnez d’abord un fichier</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Ajouter une note</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>Note :</translation>
    </message>
    <message>
        <source>scanning…</source>
        <translation>analyse en cours…</translation>
    </message>
    <message>
        <source>{phase}: {done}/{total} files · {findings} findings</source>
        <translation>{phase} : {done}/{total} fichiers · {findings} constatations</translation>
    </message>
    <message>
        <source>scan {status}: {findings} findings, {problems}</source>
        <translation>analyse {status} : {findings} constatations, {problems}</translation>
    </message>
    <message>
        <source>Some evidence could not be read:</source>
        <translation>Certains éléments de preuve n’ont pas pu être lus :</translation>
    </message>
    <message>
        <source>scan failed</source>
        <translation>échec de l’analyse</translation>
    </message>
    <message>
        <source>Scan failed</source>
        <translation>Échec de l’analyse</translation>
    </message>
    <message>
        <source>Case {path} · {n} evidence item(s)</source>
        <translation>Dossier {path} · {n} élément(s) de preuve</translation>
    </message>
</context>
<context>
    <name>MountManager</name>
    <message>
        <source>mounting is not available in this installation: {error}</source>
        <translation>le montage n’est pas disponible dans cette installation : {error}</translation>
    </message>
    <message>
        <source>this evidence is already mounted at {mountpoint}</source>
        <translation>cet élément de preuve est déjà monté sur {mountpoint}</translation>
    </message>
    <message>
        <source>this evidence is being mounted</source>
        <translation>cet élément de preuve est en cours de montage</translation>
    </message>
    <message>
        <source>this evidence is not mounted</source>
        <translation>cet élément de preuve n’est pas monté</translation>
    </message>
</context>
<context>
    <name>NewCaseDialog</name>
    <message>
        <source>New case</source>
        <translation>Nouveau dossier</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Case folder (created)</source>
        <translation>Répertoire du dossier (créé)</translation>
    </message>
    <message>
        <source>New cases go in %1 (change it in Preferences).</source>
        <translation>Les nouveaux dossiers sont créés dans %1 (modifiable dans les Préférences).</translation>
    </message>
    <message>
        <source>Create case</source>
        <translation>Créer le dossier</translation>
    </message>
    <message>
        <source>Folder to create the case in</source>
        <translation>Répertoire où créer le dossier</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>New cases go in</source>
        <translation>Nouveaux dossiers dans</translation>
    </message>
</context>
<context>
    <name>ProblemCount</name>
    <message>
        <source>1 error</source>
        <translation>1 erreur</translation>
    </message>
    <message>
        <source>{n} errors</source>
        <translation>{n} erreurs</translation>
    </message>
    <message>
        <source>1 warning</source>
        <translation>1 avertissement</translation>
    </message>
    <message>
        <source>{n} warnings</source>
        <translation>{n} avertissements</translation>
    </message>
    <message>
        <source>{errors}, {warnings}</source>
        <translation>{errors}, {warnings}</translation>
    </message>
</context>
<context>
    <name>ProblemsView</name>
    <message>
        <source>Severity</source>
        <translation>Gravité</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <source>Recorded (UTC)</source>
        <translation>Enregistré (UTC)</translation>
    </message>
    <message>
        <source>All problems</source>
        <translation>Tous les problèmes</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Erreurs</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Avertissements</translation>
    </message>
    <message>
        <source>error</source>
        <translation>erreur</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>avertissement</translation>
    </message>
    <message>
        <source>(evidence)</source>
        <translation>(élément de preuve)</translation>
    </message>
    <message>
        <source>(case)</source>
        <translation>(dossier)</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Examination report</source>
        <translation>Rapport d’examen</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>HTML (opens offline)</source>
        <translation>HTML (s’ouvre hors ligne)</translation>
    </message>
    <message>
        <source>PDF (with contents)</source>
        <translation>PDF (avec table des matières)</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Dossier :</translation>
    </message>
    <message>
        <source>Languages:</source>
        <translation>Langues :</translation>
    </message>
    <message>
        <source>Formats:</source>
        <translation>Formats :</translation>
    </message>
    <message>
        <source>One document per language: the case, the evidence and its hashes, the method, the tagged items, their timeline and the completeness ledger.</source>
        <translation>Un document par langue : l’affaire, les scellés et leurs empreintes, la méthode, les éléments marqués, leur chronologie et le registre d’exhaustivité.</translation>
    </message>
    <message>
        <source>Write report</source>
        <translation>Écrire le rapport</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <source>Report folder</source>
        <translation>Dossier du rapport</translation>
    </message>
    <message>
        <source>Choose a folder for the report.</source>
        <translation>Choisissez un dossier pour le rapport.</translation>
    </message>
    <message>
        <source>Choose at least one language.</source>
        <translation>Choisissez au moins une langue.</translation>
    </message>
    <message>
        <source>Choose HTML, PDF or both.</source>
        <translation>Choisissez HTML, PDF ou les deux.</translation>
    </message>
    <message>
        <source>Writing the report to %1…</source>
        <translation>Écriture du rapport dans %1…</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>Écriture de %1…</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>Rapport écrit : %1</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>The report was not written: %1</source>
        <translation>Le rapport n’a pas été écrit : %1</translation>
    </message>
</context>
<context>
    <name>RequestPage</name>
    <message>
        <source>Request</source>
        <translation>Demande</translation>
    </message>
    <message>
        <source>The request for mutual legal assistance (or European Investigation Order) this bundle answers, and the authority that sent it. Everything here is printed on the cover sheet.</source>
        <translation>La demande d’entraide judiciaire (ou la décision d’enquête européenne) à laquelle ce lot répond, et l’autorité qui l’a envoyée. Tout ce qui figure ici est imprimé sur la page de garde.</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <source>Export and verification</source>
        <translation>Export et vérification</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Export en cours…</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>Vérification</translation>
    </message>
    <message>
        <source>Bundle</source>
        <translation>Lot</translation>
    </message>
    <message>
        <source>Archive SHA-256</source>
        <translation>Empreinte SHA-256 de l’archive</translation>
    </message>
    <message>
        <source>Signer fingerprint</source>
        <translation>Empreinte du signataire</translation>
    </message>
    <message>
        <source>optional: the CA or signer certificate the recipient will trust</source>
        <translation>facultatif : le certificat de l’autorité de certification (CA) ou du signataire auquel le destinataire se fiera</translation>
    </message>
    <message>
        <source>Check the signer against</source>
        <translation>Vérifier le signataire par rapport à</translation>
    </message>
    <message>
        <source>Trusted certificate</source>
        <translation>Certificat de confiance</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Verify again</source>
        <translation>Vérifier à nouveau</translation>
    </message>
    <message>
        <source>Check the bundle as the recipient will: every hash, the signature, the inventory and the custody log</source>
        <translation>Vérifier le lot comme le fera le destinataire : chaque empreinte, la signature, l’inventaire et le journal de la chaîne de possession</translation>
    </message>
</context>
<context>
    <name>ScanDock</name>
    <message>
        <source>comma separated</source>
        <translation>séparés par des virgules</translation>
    </message>
    <message>
        <source>; empty: the Rule library&apos;s enabled sets</source>
        <translation> ; vide : les jeux activés de la bibliothèque de règles</translation>
    </message>
    <message>
        <source> (one or more of: {choices})</source>
        <translation> (un ou plusieurs parmi : {choices})</translation>
    </message>
    <message>
        <source>Triage profile</source>
        <translation>Profil de tri</translation>
    </message>
    <message>
        <source>(none: inventory order)</source>
        <translation>(aucun : ordre de l’inventaire)</translation>
    </message>
    <message>
        <source>Scan files in the order the file systems list them.</source>
        <translation>Analyser les fichiers dans l’ordre où les systèmes de fichiers les listent.</translation>
    </message>
    <message>
        <source>The profile&apos;s artifacts are scanned first, so the first findings arrive sooner.</source>
        <translation>Les artefacts du profil sont analysés en premier : les premières constatations arrivent plus tôt.</translation>
    </message>
    <message>
        <source>profile only (quick)</source>
        <translation>profil seulement (rapide)</translation>
    </message>
    <message>
        <source>Scan only the profile&apos;s artifacts now; the other files stay pending for Resume.</source>
        <translation>N’analyser maintenant que les artefacts du profil ; les autres fichiers restent en attente pour Reprendre.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Démarrer</translation>
    </message>
    <message>
        <source>Scan evidence not scanned yet (F5)</source>
        <translation>Analyser les éléments de preuve pas encore analysés (F5)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Finish an interrupted scan without redoing stored work</source>
        <translation>Terminer une analyse interrompue sans refaire le travail enregistré</translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation>Réanalyser</translation>
    </message>
    <message>
        <source>Forget earlier results and scan all evidence again</source>
        <translation>Oublier les résultats précédents et réanalyser tous les éléments de preuve</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>Phase</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Octets</translation>
    </message>
    <message>
        <source>Rate / ETA</source>
        <translation>Débit / fin estimée</translation>
    </message>
    <message>
        <source>Findings / problems</source>
        <translation>Constatations / problèmes</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Analyzer</source>
        <translation>Analyseur</translation>
    </message>
    <message>
        <source>CPU seconds</source>
        <translation>Secondes CPU</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Débit</translation>
    </message>
    <message>
        <source>no profile named {name} (available: {names})</source>
        <translation>aucun profil nommé {name} (disponibles : {names})</translation>
    </message>
    <message>
        <source>open or create a case first</source>
        <translation>ouvrez ou créez d’abord un dossier</translation>
    </message>
    <message>
        <source>a scan is already running</source>
        <translation>une analyse est déjà en cours</translation>
    </message>
    <message>
        <source>add evidence to the case first (Case → Add evidence…)</source>
        <translation>ajoutez d’abord un élément de preuve au dossier (Dossier → Ajouter un élément de preuve…)</translation>
    </message>
    <message>
        <source>all evidence in this case is scanned: use Resume to finish an interrupted scan or Rescan to scan again</source>
        <translation>tous les éléments de preuve de ce dossier sont analysés : utilisez Reprendre pour terminer une analyse interrompue ou Réanalyser pour recommencer</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuer</translation>
    </message>
    <message>
        <source>cancelling: finishing files in flight…</source>
        <translation>annulation : fin des fichiers en cours…</translation>
    </message>
    <message>
        <source> · evidence hash {percent}%</source>
        <translation> · empreinte de la preuve {percent} %</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} sur {total}</translation>
    </message>
    <message>
        <source>{rate}/s · ETA {eta}</source>
        <translation>{rate}/s · fin estimée {eta}</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>{findings} findings · {problems}</source>
        <translation>{findings} constatations · {problems}</translation>
    </message>
    <message>
        <source>{status}: {files} files, {findings} findings, {problems} in {seconds} s</source>
        <translation>{status} : {files} fichiers, {findings} constatations, {problems} en {seconds} s</translation>
    </message>
    <message>
        <source>{n} files not scanned yet (profile only): press Resume to scan them</source>
        <translation>{n} fichiers pas encore analysés (profil seulement) : appuyez sur Reprendre pour les analyser</translation>
    </message>
</context>
<context>
    <name>ScanStatus</name>
    <message>
        <source>starting</source>
        <extracomment>the engine&apos;s phases and scan statuses, as the status texts show them</extracomment>
        <translation>démarrage</translation>
    </message>
    <message>
        <source>inventory</source>
        <translation>inventaire</translation>
    </message>
    <message>
        <source>content</source>
        <translation>contenu</translation>
    </message>
    <message>
        <source>evidence hash</source>
        <translation>empreinte de la preuve</translation>
    </message>
    <message>
        <source>locating damage</source>
        <translation>localisation des dommages</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>terminée</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>terminée</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulée</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>interrompue</translation>
    </message>
    <message>
        <source>running</source>
        <translation>en cours</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pause</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>échouée</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>inactive</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>words, &quot;a phrase&quot;, prefix*, fuzzy~, AND OR NOT</source>
        <translation>mots, &quot;une expression&quot;, préfixe*, approché~, AND OR NOT</translation>
    </message>
    <message>
        <source>Regex</source>
        <translation>Expression régulière</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Enregistrer…</translation>
    </message>
    <message>
        <source>Type to search the case&apos;s text, strings, slack and unallocated space</source>
        <translation>Tapez pour chercher dans le texte, les chaînes, le slack et l’espace non alloué de l’affaire</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Décalage</translation>
    </message>
    <message>
        <source>Snippet</source>
        <translation>Extrait</translation>
    </message>
    <message>
        <source>Saved searches…</source>
        <translation>Recherches enregistrées…</translation>
    </message>
    <message>
        <source>{name} (terms: {n})</source>
        <translation>{name} (termes : {n})</translation>
    </message>
    <message>
        <source>Hits: the first {n} ({ms} ms)</source>
        <translation>Résultats : les {n} premiers ({ms} ms)</translation>
    </message>
    <message>
        <source>Hits: {n} ({ms} ms)</source>
        <translation>Résultats : {n} ({ms} ms)</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche en cours…</translation>
    </message>
    <message>
        <source>Save this search in the case as a keyword list and record its findings</source>
        <translation>Enregistrer cette recherche dans le dossier comme liste de mots-clés et consigner ses constatations</translation>
    </message>
    <message>
        <source>This case has no full-text index: tick the text analyzer in the Scan panel and scan again</source>
        <translation>Cette affaire n’a pas d’index plein texte : cochez l’analyseur text dans le panneau Analyse et relancez l’analyse</translation>
    </message>
</context>
<context>
    <name>SelectionPage</name>
    <message>
        <source>What to export</source>
        <translation>Contenu de l’export</translation>
    </message>
    <message>
        <source>Choose the files that go into the bundle. Their content is re-read from the evidence and re-hashed.</source>
        <translation>Choisissez les fichiers qui entrent dans le lot. Leur contenu est relu depuis l’élément de preuve et leur empreinte recalculée.</translation>
    </message>
    <message>
        <source>Files tagged</source>
        <translation>Fichiers étiquetés</translation>
    </message>
    <message>
        <source>Files with findings</source>
        <translation>Fichiers avec constatations</translation>
    </message>
    <message>
        <source>Files selected in the table</source>
        <translation>Fichiers sélectionnés dans le tableau</translation>
    </message>
    <message>
        <source>Files not hashed yet (scan unfinished, or unreadable):</source>
        <translation>Fichiers dont l’empreinte n’est pas encore calculée (analyse inachevée, ou illisibles) :</translation>
    </message>
    <message>
        <source>stop and name them</source>
        <translation>arrêter et les nommer</translation>
    </message>
    <message>
        <source>leave them out (listed in the redaction log)</source>
        <translation>les exclure (listés dans le journal des exclusions)</translation>
    </message>
    <message>
        <source>include them, hashed now from the evidence</source>
        <translation>les inclure, avec une empreinte calculée maintenant depuis l’élément de preuve</translation>
    </message>
    <message>
        <source>(any tag)</source>
        <translation>(toute étiquette)</translation>
    </message>
    <message>
        <source>1 file will be exported.</source>
        <translation>1 fichier sera exporté.</translation>
    </message>
    <message>
        <source>%1 files will be exported.</source>
        <translation>%1 fichiers seront exportés.</translation>
    </message>
</context>
<context>
    <name>SenderPage</name>
    <message>
        <source>Sender</source>
        <translation>Expéditeur</translation>
    </message>
    <message>
        <source>Who answers the request and sends the bundle. The bundle&apos;s README says “Sent by: examiner, organisation”; the recipient contacts the examiner.</source>
        <translation>Qui répond à la demande et envoie le lot. Le README du lot indique « Sent by: » suivi de l’examinateur et de l’organisme ; le destinataire contacte l’examinateur.</translation>
    </message>
</context>
<context>
    <name>SigningPage</name>
    <message>
        <source>Signature</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>A signature lets the recipient check that the bundle comes from you and that not one byte changed after you signed it.</source>
        <translation>Une signature permet au destinataire de vérifier que le lot provient de vous et que pas un seul octet n’a changé après votre signature.</translation>
    </message>
    <message>
        <source>To sign you need your private key file, which stays on this computer (only the signature and your certificate or public key go into the bundle). For a certificate signature you also need the certificate your organisation issued for that key. After the export, give the recipient the signer&apos;s fingerprint through another channel (telephone or letter), so that they can be sure the key is yours.</source>
        <translation>Pour signer, il vous faut votre fichier de clé privée, qui reste sur cet ordinateur (seuls la signature et votre certificat ou votre clé publique entrent dans le lot). Pour une signature par certificat, il vous faut aussi le certificat que votre organisme a délivré pour cette clé. Après l’export, communiquez au destinataire l’empreinte du signataire par un autre canal (téléphone ou courrier), afin qu’il puisse être sûr que la clé est la vôtre.</translation>
    </message>
    <message>
        <source>Do not sign</source>
        <translation>Ne pas signer</translation>
    </message>
    <message>
        <source>Sign with my certificate (X.509: the usual choice between authorities)</source>
        <translation>Signer avec mon certificat (X.509 : le choix habituel entre autorités)</translation>
    </message>
    <message>
        <source>Sign with my SSH key (Ed25519)</source>
        <translation>Signer avec ma clé SSH (Ed25519)</translation>
    </message>
    <message>
        <source>your private key file (.pem, .key, .p12 or .pfx)</source>
        <translation>votre fichier de clé privée (.pem, .key, .p12 ou .pfx)</translation>
    </message>
    <message>
        <source>not needed when the key file holds it (.p12, .pfx) or it lies beside the key</source>
        <translation>inutile si le fichier de clé le contient (.p12, .pfx) ou s’il se trouve à côté de la clé</translation>
    </message>
    <message>
        <source>only if the key file is protected by a password</source>
        <translation>uniquement si le fichier de clé est protégé par un mot de passe</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Your private key file</source>
        <translation>Votre fichier de clé privée</translation>
    </message>
    <message>
        <source>Your certificate</source>
        <translation>Votre certificat</translation>
    </message>
    <message>
        <source>Private key file</source>
        <translation>Fichier de clé privée</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>Certificat</translation>
    </message>
    <message>
        <source>Key password</source>
        <translation>Mot de passe de la clé</translation>
    </message>
    <message>
        <source>&lt;b&gt;The bundle will not be signed&lt;/b&gt;: the recipient can check every hash, but not who produced the bundle.</source>
        <translation>&lt;b&gt;Le lot ne sera pas signé&lt;/b&gt; : le destinataire peut vérifier chaque empreinte, mais pas qui a produit le lot.</translation>
    </message>
    <message>
        <source>Choose your private key file, or choose “Do not sign”.</source>
        <translation>Choisissez votre fichier de clé privée, ou choisissez « Ne pas signer ».</translation>
    </message>
    <message>
        <source>There is no file at this place.</source>
        <translation>Il n’y a aucun fichier à cet emplacement.</translation>
    </message>
    <message>
        <source>This key file is protected by a password: type it here.</source>
        <translation>Ce fichier de clé est protégé par un mot de passe : saisissez-le ici.</translation>
    </message>
    <message>
        <source>This key file is not protected by a password: leave this empty.</source>
        <translation>Ce fichier de clé n’est pas protégé par un mot de passe : laissez ce champ vide.</translation>
    </message>
    <message>
        <source>The key cannot be opened: %1</source>
        <translation>Impossible d’ouvrir la clé : %1</translation>
    </message>
</context>
<context>
    <name>TimelineTableModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation>Heure (UTC)</translation>
    </message>
    <message>
        <source>Times</source>
        <translation>Horodatages</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Chemin</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Supprimé</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Timestomping</source>
        <translation>Falsification des horodatages</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Constatations</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <source>All files</source>
        <translation>Tous les fichiers</translation>
    </message>
    <message>
        <source>Deleted only</source>
        <translation>Supprimés uniquement</translation>
    </message>
    <message>
        <source>Allocated only</source>
        <translation>Alloués uniquement</translation>
    </message>
    <message>
        <source>Any tag or none</source>
        <translation>Toute étiquette ou aucune</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>Échelle logarithmique</translation>
    </message>
    <message>
        <source>Bar heights on a logarithmic scale, so that one busy period cannot flatten the rest</source>
        <translation>Hauteur des barres sur une échelle logarithmique, afin qu’une période chargée n’écrase pas le reste</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>Réinitialiser le zoom</translation>
    </message>
    <message>
        <source>Show the whole time span again (0, Home, or double-click the chart)</source>
        <translation>Afficher de nouveau toute la période (0, Origine, ou double-clic sur le graphique)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>Stop filtering the file table by this time range (Esc)</source>
        <translation>Ne plus filtrer le tableau des fichiers sur cette plage horaire (Échap)</translation>
    </message>
    <message>
        <source>Zoom to range</source>
        <translation>Zoomer sur la plage</translation>
    </message>
    <message>
        <source>Show only the selected time range</source>
        <translation>Afficher uniquement la plage horaire sélectionnée</translation>
    </message>
    <message>
        <source>Drag across the chart to filter the file table by time; wheel or +/− to zoom.</source>
        <translation>Faites glisser sur le graphique pour filtrer le tableau des fichiers par date ; molette ou +/− pour zoomer.</translation>
    </message>
    <message>
        <source>Click a bar to list its events.</source>
        <translation>Cliquez sur une barre pour lister ses événements.</translation>
    </message>
    <message>
        <source>Show in file table</source>
        <translation>Afficher dans le tableau des fichiers</translation>
    </message>
    <message>
        <source>List the files of this bucket (with the current filters) in the file table</source>
        <translation>Lister les fichiers de cet intervalle (avec les filtres actuels) dans le tableau des fichiers</translation>
    </message>
    <message>
        <source>Tagged “{tag}”</source>
        <translation>Étiquetés « {tag} »</translation>
    </message>
    <message>
        <source>Timeline {span}</source>
        <translation>Chronologie {span}</translation>
    </message>
    <message>
        <source>filtered: {span}</source>
        <translation>filtré : {span}</translation>
    </message>
    <message>
        <source>loading events…</source>
        <translation>chargement des événements…</translation>
    </message>
    <message>
        <source>cannot load the timeline: {error}</source>
        <translation>impossible de charger la chronologie : {error}</translation>
    </message>
    <message>
        <source>no events</source>
        <translation>aucun événement</translation>
    </message>
    <message>
        <source>{n} of {total} events</source>
        <translation>{n} événements sur {total}</translation>
    </message>
    <message>
        <source>(zoomed)</source>
        <translation>(zoomé)</translation>
    </message>
    <message>
        <source>listing {span}…</source>
        <translation>listage de {span}…</translation>
    </message>
    <message>
        <source>{span}: {n} events in {files} files</source>
        <translation>{span} : {n} événements dans {files} fichiers</translation>
    </message>
    <message>
        <source>(the first {n} listed)</source>
        <translation>(les {n} premiers listés)</translation>
    </message>
    <message>
        <source>, {n} with timestomping signs</source>
        <translation>, dont {n} avec des signes de falsification d’horodatage (timestomping)</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <source>Unlock encrypted volumes</source>
        <translation>Déverrouiller les volumes chiffrés</translation>
    </message>
    <message>
        <source>The scan found encrypted volumes it could not open. Give a key to scan them (Resume); the key is used in memory only and is never stored.</source>
        <translation>L’analyse a trouvé des volumes chiffrés qu’elle n’a pas pu ouvrir. Donnez une clé pour les analyser (Reprendre) ; la clé n’est utilisée qu’en mémoire et n’est jamais enregistrée.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>BitLocker recovery password</source>
        <translation>Mot de passe de récupération BitLocker</translation>
    </message>
    <message>
        <source>BitLocker startup key (.bek)</source>
        <translation>Clé de démarrage BitLocker (.bek)</translation>
    </message>
    <message>
        <source>Key file (LUKS)</source>
        <translation>Fichier de clé (LUKS)</translation>
    </message>
    <message>
        <source>Partition {index} of {evidence}:
{reason}</source>
        <translation>Partition {index} de {evidence} :
{reason}</translation>
    </message>
    <message>
        <source>password</source>
        <translation>mot de passe</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Unlock and resume</source>
        <translation>Déverrouiller et reprendre</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>Fichier de clé</translation>
    </message>
    <message>
        <source>give a key for at least one volume</source>
        <translation>donnez une clé pour au moins un volume</translation>
    </message>
</context>
<context>
    <name>ViewsModel</name>
    <message>
        <source>Views</source>
        <translation>Vues</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>Tous les fichiers</translation>
    </message>
    <message>
        <source>Deleted files</source>
        <translation>Fichiers supprimés</translation>
    </message>
    <message>
        <source>By type</source>
        <translation>Par type</translation>
    </message>
    <message>
        <source>Type {mime}</source>
        <translation>Type {mime}</translation>
    </message>
    <message>
        <source>By finding</source>
        <translation>Par constatation</translation>
    </message>
    <message>
        <source>Finding {kind}: {name}</source>
        <translation>Constatation {kind} : {name}</translation>
    </message>
    <message>
        <source>By tag</source>
        <translation>Par étiquette</translation>
    </message>
    <message>
        <source>Tag {tag}</source>
        <translation>Étiquette {tag}</translation>
    </message>
    <message>
        <source>Known files (hash sets)</source>
        <translation>Fichiers connus (jeux d’empreintes)</translation>
    </message>
    <message>
        <source>Notable hashes (hash sets)</source>
        <translation>Empreintes signalées (jeux d’empreintes)</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Scanning the demo image…</source>
        <translation>Analyse de l’image de démonstration…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>triage demo</source>
        <translation>démonstration triage</translation>
    </message>
</context>
</TS>
