<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
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
        <source>&lt;b&gt;{label}&lt;/b&gt;: a draft request to preserve the data of these identifiers (Budapest Convention art. 29), citing the source files and their SHA-256.</source>
        <translation>&lt;b&gt;{label}&lt;/b&gt; : un projet de demande de conservation des données de ces identifiants (Convention de Budapest, art. 29), citant les fichiers sources et leur empreinte SHA-256.</translation>
    </message>
    <message>
        <source>optional: request metadata TOML (as for Export)</source>
        <translation>facultatif : métadonnées de la demande en TOML (comme pour l’export)</translation>
    </message>
    <message>
        <source>Folder for the drafts</source>
        <translation>Répertoire des projets</translation>
    </message>
    <message>
        <source>Request metadata</source>
        <translation>Métadonnées de la demande</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
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
    <name>HexView</name>
    <message>
        <source>No content</source>
        <translation>Aucun contenu</translation>
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
        <source>choose a folder for the drafts</source>
        <translation>choisissez un répertoire pour les projets</translation>
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
        <source>Writing drafts for {key} to {target}…</source>
        <translation>Écriture des projets pour {key} dans {target}…</translation>
    </message>
    <message>
        <source>Drafts written (check and complete them before sending):</source>
        <translation>Projets écrits (vérifiez-les et complétez-les avant l’envoi) :</translation>
    </message>
    <message>
        <source>No draft written: {error}</source>
        <translation>Aucun projet écrit : {error}</translation>
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
        <source>Timeline</source>
        <translation>Chronologie</translation>
    </message>
    <message>
        <source>No case open</source>
        <translation>Aucun dossier ouvert</translation>
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
