<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>* required for the cover sheet</source>
        <translation>* obligatorio para la portada</translation>
    </message>
    <message>
        <source>Required: the cover sheet cannot be made without it.</source>
        <translation>Obligatorio: la portada no puede generarse sin este dato.</translation>
    </message>
    <message>
        <source>This is not an e-mail address.</source>
        <translation>No es una dirección de correo electrónico.</translation>
    </message>
</context>
<context>
    <name>CaseInfoForm</name>
    <message>
        <source>Case number (required)</source>
        <translation>Número de caso (obligatorio)</translation>
    </message>
    <message>
        <source>Examiner name (required)</source>
        <translation>Nombre del perito (obligatorio)</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>Organización</translation>
    </message>
    <message>
        <source>Examiner e-mail</source>
        <translation>Correo electrónico del perito</translation>
    </message>
    <message>
        <source>Requesting authority</source>
        <translation>Autoridad requirente</translation>
    </message>
    <message>
        <source>Requested authority</source>
        <translation>Autoridad requerida</translation>
    </message>
</context>
<context>
    <name>CasePropertiesDialog</name>
    <message>
        <source>Case properties</source>
        <translation>Propiedades del caso</translation>
    </message>
    <message>
        <source>Case folder</source>
        <translation>Carpeta del caso</translation>
    </message>
    <message>
        <source>The case is open read-only: %1</source>
        <translation>El caso está abierto en solo lectura: %1</translation>
    </message>
    <message>
        <source>case number</source>
        <translation>número de caso</translation>
    </message>
    <message>
        <source>examiner</source>
        <translation>perito</translation>
    </message>
    <message>
        <source>The %1 cannot be empty.</source>
        <translation>Campo obligatorio vacío: %1.</translation>
    </message>
    <message>
        <source> and the </source>
        <translation> y </translation>
    </message>
</context>
<context>
    <name>DestinationPage</name>
    <message>
        <source>Destination and encryption</source>
        <translation>Destino y cifrado</translation>
    </message>
    <message>
        <source>Where the bundle is written. A new folder is made for it; an existing folder must be empty. Nothing is ever overwritten.</source>
        <translation>Lugar donde se escribe el paquete. Se crea una carpeta nueva para él; una carpeta existente debe estar vacía. Nunca se sobrescribe nada.</translation>
    </message>
    <message>
        <source>Put the bundle in a new folder inside it</source>
        <translation>Colocar el paquete en una carpeta nueva dentro de esta</translation>
    </message>
    <message>
        <source>Folder for the bundle</source>
        <translation>Carpeta del paquete</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <source>Bundle folder *</source>
        <translation>Carpeta del paquete *</translation>
    </message>
    <message>
        <source>Encrypt the bundle for the journey</source>
        <translation>Cifrar el paquete para su envío</translation>
    </message>
    <message>
        <source>The bundle then becomes one archive (the folder name followed by .tar.age) that only the recipients can open: give their public keys (they start with age1 or ssh-ed25519; separate several with commas), or a passphrase that you send through another channel (telephone, not the same e-mail).</source>
        <translation>El paquete se convierte entonces en un único archivo comprimido (el nombre de la carpeta seguido de .tar.age) que solo los destinatarios pueden abrir: indique sus claves públicas (empiezan por age1 o ssh-ed25519; separe varias con comas), o una frase de contraseña que usted envíe por otro canal (teléfono, no el mismo correo electrónico).</translation>
    </message>
    <message>
        <source>Recipients&apos; public keys</source>
        <translation>Claves públicas de los destinatarios</translation>
    </message>
    <message>
        <source>or a passphrase</source>
        <translation>o una frase de contraseña</translation>
    </message>
    <message>
        <source>Choose the folder the bundle goes to.</source>
        <translation>Elija la carpeta de destino del paquete.</translation>
    </message>
    <message>
        <source>%1 already exists, and nothing is overwritten: choose another name.</source>
        <translation>%1 ya existe, y no se sobrescribe nada: elija otro nombre.</translation>
    </message>
    <message>
        <source>This is a file, not a folder.</source>
        <translation>Esto es un archivo, no una carpeta.</translation>
    </message>
    <message>
        <source>This folder is not empty, and nothing is ever overwritten: choose a new or empty folder.</source>
        <translation>Esta carpeta no está vacía, y nunca se sobrescribe nada: elija una carpeta nueva o vacía.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist: the bundle folder must be made inside an existing one.</source>
        <translation>La carpeta %1 no existe: la carpeta del paquete debe crearse dentro de una carpeta existente.</translation>
    </message>
    <message>
        <source>Give at least one recipient&apos;s public key or a passphrase, or untick encryption.</source>
        <translation>Indique al menos la clave pública de un destinatario o una frase de contraseña, o desmarque el cifrado.</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>Metadata</source>
        <translation>Metadatos</translation>
    </message>
    <message>
        <source>◀ Previous match</source>
        <translation>◀ Anterior</translation>
    </message>
    <message>
        <source>Next match ▶</source>
        <translation>Siguiente ▶</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>Coincidencia anterior (Mayús+F3)</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>Coincidencia siguiente (F3)</translation>
    </message>
    <message>
        <source>no matches</source>
        <translation>sin coincidencias</translation>
    </message>
    <message>
        <source>go to offset (0x… or decimal)</source>
        <translation>ir al desplazamiento (0x… o decimal)</translation>
    </message>
    <message>
        <source>Hex</source>
        <translation>Hex</translation>
    </message>
    <message>
        <source>Encoding:</source>
        <translation>Codificación:</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <source>No preview</source>
        <translation>Sin vista previa</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Imagen</translation>
    </message>
    <message>
        <source>tag (e.g. relevant, privileged, export)</source>
        <translation>etiqueta (p. ej. relevante, privilegiado, exportar)</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>Añadir etiqueta</translation>
    </message>
    <message>
        <source>Remove selected tag</source>
        <translation>Quitar la etiqueta seleccionada</translation>
    </message>
    <message>
        <source>Notes (stored in the case and in the audit log):</source>
        <translation>Notas (guardadas en el caso y en el registro de auditoría):</translation>
    </message>
    <message>
        <source>write a note about this file</source>
        <translation>escriba una nota sobre este archivo</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Añadir nota</translation>
    </message>
    <message>
        <source>Tags &amp;&amp; notes</source>
        <translation>Etiquetas &amp;&amp; notas</translation>
    </message>
    <message>
        <source>Select a file.</source>
        <translation>Seleccione un archivo.</translation>
    </message>
    <message>
        <source>extracted text of {member}</source>
        <translation>texto extraído de {member}</translation>
    </message>
    <message>
        <source>extracted text</source>
        <translation>texto extraído</translation>
    </message>
    <message>
        <source> (pieces missing: indexed in part)</source>
        <translation> (faltan fragmentos: indexado en parte)</translation>
    </message>
    <message>
        <source>{where}, character {offset}{note}; choose an encoding for the file&apos;s bytes</source>
        <translation>{where}, carácter {offset}{note}; elija una codificación para los bytes del archivo</translation>
    </message>
    <message>
        <source>{text!r} is in the document&apos;s extracted text only</source>
        <translation>{text!r} solo está en el texto extraído del documento</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Creado (UTC)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Ruta</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Eliminado</translation>
    </message>
    <message>
        <source>Orphan</source>
        <translation>Huérfano</translation>
    </message>
    <message>
        <source>Modified (UTC)</source>
        <translation>Modificado (UTC)</translation>
    </message>
    <message>
        <source>Accessed (UTC)</source>
        <translation>Accedido (UTC)</translation>
    </message>
    <message>
        <source>Changed (UTC)</source>
        <translation>Metadatos cambiados (UTC)</translation>
    </message>
    <message>
        <source>Content type</source>
        <translation>Tipo de contenido</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <source>Extension contradicts content</source>
        <translation>La extensión contradice el contenido</translation>
    </message>
    <message>
        <source>YES</source>
        <translation>SÍ</translation>
    </message>
    <message>
        <source>Scan status</source>
        <translation>Estado del análisis</translation>
    </message>
    <message>
        <source>Inode</source>
        <translation>Inodo</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Flujo</translation>
    </message>
    <message>
        <source>File id</source>
        <translation>N.º de archivo</translation>
    </message>
    <message>
        <source>Name bytes (hex)</source>
        <translation>Bytes del nombre (hex)</translation>
    </message>
    <message>
        <source>{hex} ({reason}: the name shows them escaped, \xHH per byte, \\ per backslash)</source>
        <translation>{hex} ({reason}: el nombre los muestra escapados, \xHH por byte, \\ por barra invertida)</translation>
    </message>
    <message>
        <source>$FN modified (UTC)</source>
        <translation>$FN modificado (UTC)</translation>
    </message>
    <message>
        <source>$FN accessed (UTC)</source>
        <translation>$FN accedido (UTC)</translation>
    </message>
    <message>
        <source>$FN changed (UTC)</source>
        <translation>$FN metadatos cambiados (UTC)</translation>
    </message>
    <message>
        <source>$FN created (UTC)</source>
        <translation>$FN creado (UTC)</translation>
    </message>
    <message>
        <source>Timestomping sign</source>
        <translation>Indicio de manipulación de marcas de tiempo</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Damage</source>
        <translation>Daños</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>Contenido</translation>
    </message>
    <message>
        <source>unavailable: {error}</source>
        <translation>no disponible: {error}</translation>
    </message>
    <message>
        <source>Analyzer results</source>
        <translation>Resultados de los analizadores</translation>
    </message>
    <message>
        <source>EXIF</source>
        <translation>EXIF</translation>
    </message>
    <message>
        <source>unreadable: {reason}</source>
        <translation>ilegible: {reason}</translation>
    </message>
    <message>
        <source>no camera, time or position recorded</source>
        <translation>no se registró cámara, hora ni posición</translation>
    </message>
    <message>
        <source>Camera make (EXIF)</source>
        <translation>Marca de la cámara (EXIF)</translation>
    </message>
    <message>
        <source>Camera model (EXIF)</source>
        <translation>Modelo de la cámara (EXIF)</translation>
    </message>
    <message>
        <source>Taken (EXIF, camera&apos;s clock)</source>
        <translation>Tomada (EXIF, reloj de la cámara)</translation>
    </message>
    <message>
        <source>GPS position (EXIF)</source>
        <translation>Posición GPS (EXIF)</translation>
    </message>
    <message>
        <source>no content</source>
        <translation>sin contenido</translation>
    </message>
    <message>
        <source> (first {n} of {size} bytes)</source>
        <translation> (primeros {n} de {size} bytes)</translation>
    </message>
    <message>
        <source>No preview (not an image)</source>
        <translation>Sin vista previa (no es una imagen)</translation>
    </message>
    <message>
        <source>No preview: larger than {n} MiB</source>
        <translation>Sin vista previa: más de {n} MiB</translation>
    </message>
    <message>
        <source>No preview: the image cannot be decoded</source>
        <translation>Sin vista previa: la imagen no se puede decodificar</translation>
    </message>
    <message>
        <source>No notes.</source>
        <translation>Sin notas.</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1 coincidencia</translation>
    </message>
    <message>
        <source>{n} matches</source>
        <translation>{n} coincidencias</translation>
    </message>
    <message>
        <source>match {i} of {n} at offset {hex} ({offset}), {length} bytes</source>
        <translation>coincidencia {i} de {n} en el desplazamiento {hex} ({offset}), {length} bytes</translation>
    </message>
    <message>
        <source>yes, and its metadata is allocated again (deleted-realloc): times and content may be another file&apos;s</source>
        <translation>sí, y sus metadatos están asignados de nuevo (deleted-realloc): las fechas y el contenido pueden ser de otro archivo</translation>
    </message>
</context>
<context>
    <name>DraftDialog</name>
    <message>
        <source>Draft preservation request</source>
        <translation>Borrador de solicitud de conservación</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: a draft request for the data of these identifiers, in the instrument the requesting State and the provider call for (EPOC-PR, Second Additional Protocol art. 7, Budapest Convention art. 29 …), citing the source files and their SHA-256. What you leave empty is written as “[to be completed]”.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;: un borrador de solicitud de los datos de estos identificadores, en el instrumento que corresponde al Estado requirente y al proveedor (EPOC-PR, Segundo Protocolo Adicional art. 7, Convenio de Budapest art. 29 …), que cita los archivos de origen y su SHA-256. Lo que deje vacío se escribe como «[por completar]».</translation>
    </message>
    <message>
        <source>optional: more request details from a file (TOML)</source>
        <translation>opcional: más datos de la solicitud desde un archivo (TOML)</translation>
    </message>
    <message>
        <source>Folder for the drafts *</source>
        <translation>Carpeta para los borradores *</translation>
    </message>
    <message>
        <source>Request details file</source>
        <translation>Archivo de datos de la solicitud</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <source>Automatic (from the States and the provider)</source>
        <translation>Automático (según los Estados y el proveedor)</translation>
    </message>
    <message>
        <source>Instrument</source>
        <translation>Instrumento</translation>
    </message>
    <message>
        <source>Language of the draft</source>
        <translation>Idioma del borrador</translation>
    </message>
    <message>
        <source>Quote the text around each identifier (other identifiers in it are redacted)</source>
        <translation>Citar el texto alrededor de cada identificador (los demás identificadores se ocultan)</translation>
    </message>
    <message>
        <source>DOCX (to edit and sign)</source>
        <translation>DOCX (para editar y firmar)</translation>
    </message>
    <message>
        <source>JSON (case-management systems)</source>
        <translation>JSON (sistemas de gestión de casos)</translation>
    </message>
    <message>
        <source>Add every virtual-currency address of the case (for exchanges)</source>
        <translation>Añadir todas las direcciones de criptomonedas del caso (para plataformas de intercambio)</translation>
    </message>
    <message>
        <source>Write drafts</source>
        <translation>Escribir los borradores</translation>
    </message>
    <message>
        <source>Choose the folder the drafts go to (a new one is made).</source>
        <translation>Elija la carpeta de destino de los borradores (se crea una nueva).</translation>
    </message>
    <message>
        <source>This is a file, not a folder.</source>
        <translation>Esto es un archivo, no una carpeta.</translation>
    </message>
    <message>
        <source>Choose DOCX, JSON or both.</source>
        <translation>Elija DOCX, JSON o ambos.</translation>
    </message>
    <message>
        <source>This folder already holds drafts for this group (%1). Press “%2” to replace them, or choose another folder.</source>
        <translation>Esta carpeta ya contiene borradores para este grupo (%1). Pulse «%2» para sustituirlos, o elija otra carpeta.</translation>
    </message>
    <message>
        <source>Replace them</source>
        <translation>Sustituirlos</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Unexpected error ({error}). The details were written to {log}.</source>
        <translation>Error inesperado ({error}). Los detalles se escribieron en {log}.</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>EvidenceTreeModel</name>
    <message>
        <source>Evidence</source>
        <translation>Evidencias</translation>
    </message>
    <message>
        <source>{label}  [mounted at {mountpoint}]</source>
        <translation>{label}  [montado en {mountpoint}]</translation>
    </message>
    <message>
        <source>{path}
{format}, {size} bytes</source>
        <translation>{path}
{format}, {size} bytes</translation>
    </message>
    <message>
        <source>offset {offset} bytes, length {length} bytes</source>
        <translation>desplazamiento {offset} bytes, longitud {length} bytes</translation>
    </message>
    <message>
        <source>error: {error}</source>
        <translation>error: {error}</translation>
    </message>
    <message>
        <source>{path}
{kind} container: its members are inside, as {path}//member</source>
        <translation>{path}
contenedor {kind}: sus miembros están dentro, como {path}//miembro</translation>
    </message>
    <message>
        <source>Files carved from this partition&apos;s unallocated space</source>
        <translation>Archivos recuperados por carving del espacio no asignado de esta partición</translation>
    </message>
    <message>
        <source>{path}
member {member} of its container</source>
        <translation>{path}
miembro {member} de su contenedor</translation>
    </message>
    <message>
        <source>{path}
carved from unallocated space</source>
        <translation>{path}
recuperado por carving del espacio no asignado</translation>
    </message>
    <message>
        <source>{path}
a folder inside a container</source>
        <translation>{path}
una carpeta dentro de un contenedor</translation>
    </message>
    <message>
        <source>Carved ({count})</source>
        <translation>Recuperados por carving ({count})</translation>
    </message>
    <message>
        <source>{name}  [{kind} container]</source>
        <translation>{name}  [contenedor {kind}]</translation>
    </message>
    <message>
        <source>{name}  [container]</source>
        <translation>{name}  [contenedor]</translation>
    </message>
    <message>
        <source>no file system</source>
        <translation>sin sistema de archivos</translation>
    </message>
    <message>
        <source>Partition {idx}</source>
        <translation>Partición {idx}</translation>
    </message>
    <message>
        <source>{name} (deleted)</source>
        <translation>{name} (eliminado)</translation>
    </message>
</context>
<context>
    <name>ExportWizard</name>
    <message>
        <source>Export bundle</source>
        <translation>Exportar un paquete</translation>
    </message>
    <message>
        <source>Exporting %1 files to %2: each is re-read from the evidence and re-hashed, then the bundle is verified…</source>
        <translation>Exportando %1 archivos a %2: cada uno se vuelve a leer de la evidencia y se recalcula su hash; después se verifica el paquete…</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>Cancelar la exportación</translation>
    </message>
    <message>
        <source>%1 of %2: %3</source>
        <translation>%1 de %2: %3</translation>
    </message>
    <message>
        <source>Cancelling: the partial bundle is being removed…</source>
        <translation>Cancelando: se está eliminando el paquete parcial…</translation>
    </message>
    <message>
        <source>Archive SHA-256</source>
        <translation>Hash SHA-256 del archivo comprimido</translation>
    </message>
    <message>
        <source>manifest-sha256.txt SHA-256</source>
        <translation>Hash SHA-256 de manifest-sha256.txt</translation>
    </message>
    <message>
        <source>not signed</source>
        <translation>sin firma</translation>
    </message>
    <message>
        <source>%1 files, %2 bytes; %3 left out (see data/inventory/left-out.csv)</source>
        <translation>%1 archivos, %2 bytes; %3 excluidos (véase data/inventory/left-out.csv)</translation>
    </message>
    <message>
        <source> · NOT SIGNED</source>
        <translation> · SIN FIRMA</translation>
    </message>
    <message>
        <source>Check the signer against (allowed signers file)</source>
        <translation>Comprobar el firmante con (archivo de firmantes autorizados)</translation>
    </message>
    <message>
        <source>Check the signer against</source>
        <translation>Comprobar el firmante con</translation>
    </message>
    <message>
        <source>optional: an allowed signers file the recipient will trust</source>
        <translation>opcional: un archivo de firmantes autorizados en el que confiará el destinatario</translation>
    </message>
    <message>
        <source>The archive is encrypted to the recipients&apos; keys, so it cannot be opened here. The bag was verified before encryption: %1.</source>
        <translation>El archivo comprimido está cifrado para las claves de los destinatarios, por lo que no puede abrirse aquí. Verificación del paquete antes del cifrado: %1.</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>correcta</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>FALLIDA</translation>
    </message>
    <message>
        <source>Only the recipients can open an archive encrypted to their keys</source>
        <translation>Solo los destinatarios pueden abrir un archivo comprimido cifrado para sus claves</translation>
    </message>
    <message>
        <source>The bundle was written. Verifying it as the recipient will…</source>
        <translation>El paquete se ha escrito. Verificándolo como lo hará el destinatario…</translation>
    </message>
    <message>
        <source>verifying…</source>
        <translation>verificando…</translation>
    </message>
    <message>
        <source>NOT CHECKED</source>
        <translation>SIN VERIFICAR</translation>
    </message>
    <message>
        <source>There is no file at %1.</source>
        <translation>No hay ningún archivo en %1.</translation>
    </message>
    <message>
        <source>Verification failed: %1</source>
        <translation>La verificación ha fallado: %1</translation>
    </message>
    <message>
        <source>PASSED</source>
        <translation>CORRECTA</translation>
    </message>
    <message>
        <source>[warning] %1</source>
        <translation>[advertencia] %1</translation>
    </message>
    <message>
        <source>The bundle was written and verified: every check passed.</source>
        <translation>El paquete se ha escrito y verificado: todas las comprobaciones son correctas.</translation>
    </message>
    <message>
        <source>The bundle was written but did NOT verify: do not send it.</source>
        <translation>El paquete se ha escrito pero NO ha superado la verificación: no lo envíe.</translation>
    </message>
    <message>
        <source>CANCELLED</source>
        <translation>CANCELADO</translation>
    </message>
    <message>
        <source>NOT EXPORTED</source>
        <translation>NO EXPORTADO</translation>
    </message>
    <message>
        <source>%1 (details in the log file)</source>
        <translation>%1 (detalles en el archivo de registro)</translation>
    </message>
    <message>
        <source>Export cancelled: %1</source>
        <translation>Exportación cancelada: %1</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>La exportación ha fallado: %1</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
</context>
<context>
    <name>FileTableModel</name>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Content type</source>
        <translation>Tipo de contenido</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Eliminado</translation>
    </message>
    <message>
        <source>Modified (UTC)</source>
        <translation>Modificado (UTC)</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Creado (UTC)</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Análisis</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Ruta</translation>
    </message>
    <message>
        <source>member {member} of its container</source>
        <translation>miembro {member} de su contenedor</translation>
    </message>
    <message>
        <source>carved from unallocated space</source>
        <translation>recuperado por carving del espacio no asignado</translation>
    </message>
    <message>
        <source>{kind} (member)</source>
        <translation>{kind} (miembro)</translation>
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
        <translation>Hallazgo</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Desplazamiento</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detalle</translation>
    </message>
    <message>
        <source>YARA rule</source>
        <translation>Regla YARA</translation>
    </message>
    <message>
        <source>Hash set</source>
        <translation>Conjunto de hashes</translation>
    </message>
    <message>
        <source>Interesting file</source>
        <translation>Archivo de interés</translation>
    </message>
    <message>
        <source>Type mismatch</source>
        <translation>Tipo incoherente</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Identificador</translation>
    </message>
    <message>
        <source>match</source>
        <translation>coincidencia</translation>
    </message>
    <message>
        <source>(no file)</source>
        <translation>(sin archivo)</translation>
    </message>
    <message>
        <source>{n} bytes</source>
        <translation>{n} bytes</translation>
    </message>
    <message>
        <source>1 file</source>
        <translation>1 archivo</translation>
    </message>
    <message>
        <source>{n} files</source>
        <translation>{n} archivos</translation>
    </message>
    <message>
        <source>Problems ({count})</source>
        <translation>Problemas ({count})</translation>
    </message>
    <message>
        <source>nothing was skipped silently</source>
        <translation>no se omitió nada en silencio</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1 coincidencia</translation>
    </message>
    <message>
        <source>{n} matches</source>
        <translation>{n} coincidencias</translation>
    </message>
</context>
<context>
    <name>GalleryModel</name>
    <message>
        <source> (deleted)</source>
        <translation> (eliminado)</translation>
    </message>
    <message>
        <source>{path}{extra}
No thumbnail: {error}</source>
        <translation>{path}{extra}
Sin miniatura: {error}</translation>
    </message>
    <message>
        <source>the cached thumbnail is not a PNG</source>
        <translation>la miniatura en caché no es un PNG</translation>
    </message>
    <message>
        <source>no thumbnail</source>
        <translation>sin miniatura</translation>
    </message>
</context>
<context>
    <name>GalleryView</name>
    <message>
        <source>Tag selected pictures…</source>
        <translation>Etiquetar las imágenes seleccionadas…</translation>
    </message>
    <message>
        <source>Open in the detail pane</source>
        <translation>Abrir en el panel de detalle</translation>
    </message>
    <message>
        <source>No case open</source>
        <translation>Ningún caso abierto</translation>
    </message>
    <message>
        <source>No pictures in this view (pictures are typed by the scan)</source>
        <translation>No hay imágenes en esta vista (el análisis reconoce las imágenes)</translation>
    </message>
    <message>
        <source>{n} pictures</source>
        <translation>{n} imágenes</translation>
    </message>
</context>
<context>
    <name>HexView</name>
    <message>
        <source>No content</source>
        <translation>Sin contenido</translation>
    </message>
</context>
<context>
    <name>HistogramWidget</name>
    <message>
        <source>no events there: zoom in over a bar</source>
        <translation>no hay eventos aquí: haga zoom sobre una barra</translation>
    </message>
    <message>
        <source>No events (no case, nothing inventoried, or the filters exclude everything)</source>
        <translation>No hay eventos (no hay caso, no se ha inventariado nada, o los filtros lo excluyen todo)</translation>
    </message>
    <message>
        <source>events, log scale</source>
        <translation>eventos, escala logarítmica</translation>
    </message>
    <message>
        <source>events</source>
        <translation>eventos</translation>
    </message>
    <message>
        <source>counting…</source>
        <translation>contando…</translation>
    </message>
    <message>
        <source>{span}
{n} events</source>
        <translation>{span}
{n} eventos</translation>
    </message>
    <message>
        <source>, {n} of files with findings</source>
        <translation>, {n} de archivos con hallazgos</translation>
    </message>
</context>
<context>
    <name>IdentifiersModel</name>
    <message>
        <source>Provider / identifier</source>
        <translation>Proveedor / identificador</translation>
    </message>
    <message>
        <source>Jurisdiction</source>
        <translation>Jurisdicción</translation>
    </message>
    <message>
        <source>Identifiers</source>
        <translation>Identificadores</translation>
    </message>
    <message>
        <source>Occurrences</source>
        <translation>Apariciones</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Archivos</translation>
    </message>
    <message>
        <source>First seen (UTC)</source>
        <translation>Primera aparición (UTC)</translation>
    </message>
    <message>
        <source>Last seen (UTC)</source>
        <translation>Última aparición (UTC)</translation>
    </message>
</context>
<context>
    <name>IdentifiersPanel</name>
    <message>
        <source>All kinds</source>
        <translation>Todos los tipos</translation>
    </message>
    <message>
        <source>Draft preservation request…</source>
        <translation>Solicitud de conservación…</translation>
    </message>
    <message>
        <source>Write a draft request (DOCX and JSON) for the selected provider or group</source>
        <translation>Redactar un borrador de solicitud (DOCX y JSON) para el proveedor o grupo seleccionado</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>cargando…</translation>
    </message>
    <message>
        <source>{n} identifiers in {groups} groups</source>
        <translation>{n} identificadores en {groups} grupos</translation>
    </message>
    <message>
        <source>No identifiers (scan with the &apos;identifiers&apos; analyzer)</source>
        <translation>Sin identificadores (analice con el analizador «identifiers»)</translation>
    </message>
    <message>
        <source>cannot load identifiers: {error}</source>
        <translation>no se pueden cargar los identificadores: {error}</translation>
    </message>
    <message>
        <source>Identifier {value}</source>
        <translation>Identificador {value}</translation>
    </message>
    <message>
        <source>Identifiers: {group}</source>
        <translation>Identificadores: {group}</translation>
    </message>
    <message>
        <source>open a case first</source>
        <translation>abra primero un caso</translation>
    </message>
    <message>
        <source>select a provider or group first</source>
        <translation>seleccione primero un proveedor o un grupo</translation>
    </message>
    <message>
        <source>No draft written: %1</source>
        <translation>No se escribió ningún borrador: %1</translation>
    </message>
    <message>
        <source>Writing drafts for %1 to %2…</source>
        <translation>Escribiendo los borradores para %1 en %2…</translation>
    </message>
    <message>
        <source>choose DOCX, JSON or both</source>
        <translation>elija DOCX, JSON o ambos</translation>
    </message>
    <message>
        <source>drafts are being written</source>
        <translation>los borradores se están escribiendo</translation>
    </message>
    <message>
        <source>Drafts written (check and complete them before sending):</source>
        <translation>Borradores escritos (revíselos y complételos antes de enviarlos):</translation>
    </message>
</context>
<context>
    <name>Kind</name>
    <message>
        <source>file</source>
        <translation>archivo</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>carpeta</translation>
    </message>
    <message>
        <source>link</source>
        <translation>enlace</translation>
    </message>
    <message>
        <source>virtual folder</source>
        <translation>carpeta virtual</translation>
    </message>
    <message>
        <source>virtual file</source>
        <translation>archivo virtual</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>System language</source>
        <extracomment>code → name of the language in that language (&quot;&quot; follows the system locale)</extracomment>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>takes effect when the workstation is restarted</source>
        <translation>se aplica al reiniciar la estación de trabajo</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Disk images (*.raw *.dd *.img *.bin *.001 *.E01 *.e01 *.Ex01 *.vmdk *.vhd *.vhdx *.qcow2 *.qcow);;All files (*)</source>
        <translation>Imágenes de disco (*.raw *.dd *.img *.bin *.001 *.E01 *.e01 *.Ex01 *.vmdk *.vhd *.vhdx *.qcow2 *.qcow);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Mount</source>
        <translation>Montaje</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>Evidencias</translation>
    </message>
    <message>
        <source>Filter by name (Ctrl+F)</source>
        <translation>Filtrar por nombre (Ctrl+F)</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Hallazgos</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Análisis</translation>
    </message>
    <message>
        <source>Identifiers</source>
        <translation>Identificadores</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problemas</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Búsqueda</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Cronología</translation>
    </message>
    <message>
        <source>No case open</source>
        <translation>Ningún caso abierto</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Archivos</translation>
    </message>
    <message>
        <source>Gallery</source>
        <translation>Galería</translation>
    </message>
    <message>
        <source>&amp;Case</source>
        <translation>&amp;Caso</translation>
    </message>
    <message>
        <source>&amp;New case…</source>
        <translation>&amp;Nuevo caso…</translation>
    </message>
    <message>
        <source>&amp;Open case…</source>
        <translation>&amp;Abrir caso…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Abrir &amp;reciente</translation>
    </message>
    <message>
        <source>Add &amp;evidence…</source>
        <translation>Añadir &amp;evidencia…</translation>
    </message>
    <message>
        <source>Evidence &amp;properties…</source>
        <translation>&amp;Propiedades de la evidencia…</translation>
    </message>
    <message>
        <source>Re&amp;move evidence…</source>
        <translation>Eli&amp;minar la evidencia…</translation>
    </message>
    <message>
        <source>Case propert&amp;ies…</source>
        <translation>Propie&amp;dades del caso…</translation>
    </message>
    <message>
        <source>E&amp;xport bundle…</source>
        <translation>E&amp;xportar paquete…</translation>
    </message>
    <message>
        <source>Ex&amp;amination report…</source>
        <translation>Informe de e&amp;xamen…</translation>
    </message>
    <message>
        <source>&amp;Close case</source>
        <translation>&amp;Cerrar caso</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;Tag selected files…</source>
        <translation>&amp;Etiquetar archivos seleccionados…</translation>
    </message>
    <message>
        <source>Add &amp;note to file…</source>
        <translation>Añadir &amp;nota al archivo…</translation>
    </message>
    <message>
        <source>&amp;Filter files</source>
        <translation>&amp;Filtrar archivos</translation>
    </message>
    <message>
        <source>&amp;Search the case…</source>
        <translation>&amp;Buscar en el caso…</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferencias…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>Show &amp;timeline</source>
        <translation>Mostrar &amp;cronología</translation>
    </message>
    <message>
        <source>Show &amp;gallery</source>
        <translation>Mostrar &amp;galería</translation>
    </message>
    <message>
        <source>Show &amp;problems</source>
        <translation>Mostrar &amp;problemas</translation>
    </message>
    <message>
        <source>Reset &amp;layout</source>
        <translation>Restablecer &amp;diseño</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>Coincidencia siguiente</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>Coincidencia anterior</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>&amp;Scan</source>
        <translation>&amp;Análisis</translation>
    </message>
    <message>
        <source>&amp;Start scan</source>
        <translation>&amp;Iniciar análisis</translation>
    </message>
    <message>
        <source>&amp;Pause / continue</source>
        <translation>&amp;Pausa / continuar</translation>
    </message>
    <message>
        <source>&amp;Cancel scan</source>
        <translation>&amp;Cancelar análisis</translation>
    </message>
    <message>
        <source>&amp;Resume interrupted scan</source>
        <translation>&amp;Reanudar análisis interrumpido</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Herramientas</translation>
    </message>
    <message>
        <source>&amp;Rule library…</source>
        <translation>Biblioteca de &amp;reglas…</translation>
    </message>
    <message>
        <source>&amp;Plugins…</source>
        <translation>&amp;Complementos…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>Abrir carpeta de &amp;registros</translation>
    </message>
    <message>
        <source>&amp;About triage</source>
        <translation>&amp;Acerca de triage</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Barra de herramientas principal</translation>
    </message>
    <message>
        <source>Open case folder</source>
        <translation>Abrir carpeta del caso</translation>
    </message>
    <message>
        <source>a scan is running: cancel it before closing the case</source>
        <translation>hay un análisis en curso: cancélelo antes de cerrar el caso</translation>
    </message>
    <message>
        <source>Evidence is being removed: wait until it is done.</source>
        <translation>Se está eliminando una evidencia: espere a que termine.</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>Todos los archivos</translation>
    </message>
    <message>
        <source> (read-only: {reason})</source>
        <translation> (solo lectura: {reason})</translation>
    </message>
    <message>
        <source>last scan {status} {time}</source>
        <translation>último análisis {status} {time}</translation>
    </message>
    <message>
        <source>open or create a case first</source>
        <translation>abra o cree primero un caso</translation>
    </message>
    <message>
        <source>Add evidence (first segment of split or E01 sets)</source>
        <translation>Añadir evidencia (primer segmento de imágenes divididas o E01)</translation>
    </message>
    <message>
        <source>Added {n} evidence item(s); press F5 to scan</source>
        <translation>{n} evidencia(s) añadida(s); pulse F5 para analizar</translation>
    </message>
    <message>
        <source>this case has no evidence yet</source>
        <translation>este caso todavía no tiene evidencias</translation>
    </message>
    <message>
        <source>A scan is running: cancel it or let it finish before removing evidence.</source>
        <translation>Hay un análisis en curso: cancélelo o espere a que termine antes de eliminar evidencias.</translation>
    </message>
    <message>
        <source>This evidence is mounted: unmount it before removing it.</source>
        <translation>Esta evidencia está montada: desmóntela antes de eliminarla.</translation>
    </message>
    <message>
        <source>Remove evidence</source>
        <translation>Eliminar la evidencia</translation>
    </message>
    <message>
        <source>Remove %1 from the case?

%2

Its %3 files and their findings, problems, tags, notes and thumbnails are deleted from the case. The image itself is not changed, and the audit log keeps a record of the removal.</source>
        <translation>¿Eliminar %1 del caso?

%2

Sus %3 archivos y sus hallazgos, problemas, etiquetas, notas y miniaturas se borran del caso. La imagen no se modifica, y el registro de auditoría conserva constancia de la eliminación.</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>Eliminar %1</translation>
    </message>
    <message>
        <source>Select the evidence item to remove in the evidence tree.</source>
        <translation>Seleccione en el árbol la evidencia que desea eliminar.</translation>
    </message>
    <message>
        <source>Removing evidence %1…</source>
        <translation>Eliminando la evidencia %1…</translation>
    </message>
    <message>
        <source>Removed %1 and its results</source>
        <translation>Se eliminaron %1 y sus resultados</translation>
    </message>
    <message>
        <source>Carved files</source>
        <translation>Archivos recuperados por carving</translation>
    </message>
    <message>
        <source>Members of {path}</source>
        <translation>Miembros de {path}</translation>
    </message>
    <message>
        <source>Folder {path} (partition {idx})</source>
        <translation>Carpeta {path} (partición {idx})</translation>
    </message>
    <message>
        <source>Folder {path}</source>
        <translation>Carpeta {path}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{scope}&lt;/b&gt; · {rows}{more} rows loaded</source>
        <translation>&lt;b&gt;{scope}&lt;/b&gt; · {rows}{more} filas cargadas</translation>
    </message>
    <message>
        <source> · name contains “{text}”</source>
        <translation> · el nombre contiene «{text}»</translation>
    </message>
    <message>
        <source>Tag selected files…</source>
        <translation>Etiquetar archivos seleccionados…</translation>
    </message>
    <message>
        <source>Export selected files…</source>
        <translation>Exportar archivos seleccionados…</translation>
    </message>
    <message>
        <source>Save search</source>
        <translation>Guardar búsqueda</translation>
    </message>
    <message>
        <source>Keyword list (new or existing):</source>
        <translation>Lista de palabras clave (nueva o existente):</translation>
    </message>
    <message>
        <source>Saved in keyword list {name} (terms: {n}, findings: {found})</source>
        <translation>Guardado en la lista de palabras clave {name} (términos: {n}, hallazgos: {found})</translation>
    </message>
    <message>
        <source>{path}: volume offset {offset} ({hex})</source>
        <translation>{path}: desplazamiento {offset} en el volumen ({hex})</translation>
    </message>
    <message>
        <source>Mount read-only…</source>
        <translation>Montar en solo lectura…</translation>
    </message>
    <message>
        <source>Open in file manager</source>
        <translation>Abrir en el gestor de archivos</translation>
    </message>
    <message>
        <source>Unmount</source>
        <translation>Desmontar</translation>
    </message>
    <message>
        <source>Properties…</source>
        <translation>Propiedades…</translation>
    </message>
    <message>
        <source>Remove evidence…</source>
        <translation>Eliminar la evidencia…</translation>
    </message>
    <message>
        <source>Open in file manager (mount the evidence first)</source>
        <translation>Abrir en el gestor de archivos (monte primero la evidencia)</translation>
    </message>
    <message>
        <source>Mount {name} read-only: choose an empty folder</source>
        <translation>Montar {name} en solo lectura: elija una carpeta vacía</translation>
    </message>
    <message>
        <source>Mounting {name} at {mountpoint}…</source>
        <translation>Montando {name} en {mountpoint}…</translation>
    </message>
    <message>
        <source>Mounted read-only at {mountpoint}</source>
        <translation>Montado en solo lectura en {mountpoint}</translation>
    </message>
    <message>
        <source>Unmounted</source>
        <translation>Desmontado</translation>
    </message>
    <message>
        <source>mount the evidence first (right-click it: Mount read-only…)</source>
        <translation>monte primero la evidencia (clic derecho: Montar en solo lectura…)</translation>
    </message>
    <message>
        <source>no file manager could open {target}</source>
        <translation>ningún gestor de archivos pudo abrir {target}</translation>
    </message>
    <message>
        <source>open a case first</source>
        <translation>abra primero un caso</translation>
    </message>
    <message>
        <source>select one or more files to tag</source>
        <translation>seleccione uno o más archivos para etiquetar</translation>
    </message>
    <message>
        <source>Tag files</source>
        <translation>Etiquetar archivos</translation>
    </message>
    <message>
        <source>Tag for {n} file(s):</source>
        <translation>Etiqueta para {n} archivo(s):</translation>
    </message>
    <message>
        <source>a tag cannot be empty</source>
        <translation>una etiqueta no puede estar vacía</translation>
    </message>
    <message>
        <source>Tagged {n} file(s) “{tag}”</source>
        <translation>{n} archivo(s) etiquetado(s) «{tag}»</translation>
    </message>
    <message>
        <source>select a file first</source>
        <translation>seleccione primero un archivo</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Añadir nota</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>Nota:</translation>
    </message>
    <message>
        <source>scanning…</source>
        <translation>analizando…</translation>
    </message>
    <message>
        <source>{phase}: {done}/{total} files · {findings} findings</source>
        <translation>{phase}: {done}/{total} archivos · {findings} hallazgos</translation>
    </message>
    <message>
        <source>scan {status}: {findings} findings, {problems}</source>
        <translation>análisis {status}: {findings} hallazgos, {problems}</translation>
    </message>
    <message>
        <source>Some evidence could not be read:</source>
        <translation>Algunas evidencias no se pudieron leer:</translation>
    </message>
    <message>
        <source>scan failed</source>
        <translation>el análisis falló</translation>
    </message>
    <message>
        <source>Scan failed</source>
        <translation>El análisis falló</translation>
    </message>
    <message>
        <source>Case {path} · {n} evidence item(s)</source>
        <translation>Caso {path} · {n} evidencia(s)</translation>
    </message>
</context>
<context>
    <name>MountManager</name>
    <message>
        <source>mounting is not available in this installation: {error}</source>
        <translation>el montaje no está disponible en esta instalación: {error}</translation>
    </message>
    <message>
        <source>this evidence is already mounted at {mountpoint}</source>
        <translation>esta evidencia ya está montada en {mountpoint}</translation>
    </message>
    <message>
        <source>this evidence is being mounted</source>
        <translation>esta evidencia se está montando</translation>
    </message>
    <message>
        <source>this evidence is not mounted</source>
        <translation>esta evidencia no está montada</translation>
    </message>
</context>
<context>
    <name>NewCaseDialog</name>
    <message>
        <source>New case</source>
        <translation>Nuevo caso</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <source>Case folder (created)</source>
        <translation>Carpeta del caso (se crea)</translation>
    </message>
    <message>
        <source>New cases go in %1 (change it in Preferences).</source>
        <translation>Los casos nuevos se crean en %1 (puede cambiarse en Preferencias).</translation>
    </message>
    <message>
        <source>Create case</source>
        <translation>Crear el caso</translation>
    </message>
    <message>
        <source>Folder to create the case in</source>
        <translation>Carpeta donde crear el caso</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>New cases go in</source>
        <translation>Casos nuevos en</translation>
    </message>
</context>
<context>
    <name>ProblemCount</name>
    <message>
        <source>1 error</source>
        <translation>1 error</translation>
    </message>
    <message>
        <source>{n} errors</source>
        <translation>{n} errores</translation>
    </message>
    <message>
        <source>1 warning</source>
        <translation>1 advertencia</translation>
    </message>
    <message>
        <source>{n} warnings</source>
        <translation>{n} advertencias</translation>
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
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>Recorded (UTC)</source>
        <translation>Registrado (UTC)</translation>
    </message>
    <message>
        <source>All problems</source>
        <translation>Todos los problemas</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Errores</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Advertencias</translation>
    </message>
    <message>
        <source>error</source>
        <translation>error</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>advertencia</translation>
    </message>
    <message>
        <source>(evidence)</source>
        <translation>(evidencia)</translation>
    </message>
    <message>
        <source>(case)</source>
        <translation>(caso)</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Examination report</source>
        <translation>Informe de examen</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>HTML (opens offline)</source>
        <translation>HTML (se abre sin conexión)</translation>
    </message>
    <message>
        <source>PDF (with contents)</source>
        <translation>PDF (con índice)</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Carpeta:</translation>
    </message>
    <message>
        <source>Languages:</source>
        <translation>Idiomas:</translation>
    </message>
    <message>
        <source>Formats:</source>
        <translation>Formatos:</translation>
    </message>
    <message>
        <source>One document per language: the case, the evidence and its hashes, the method, the tagged items, their timeline and the completeness ledger.</source>
        <translation>Un documento por idioma: el caso, las evidencias y sus hashes, el método, los elementos etiquetados, su cronología y el registro de exhaustividad.</translation>
    </message>
    <message>
        <source>Write report</source>
        <translation>Escribir el informe</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Abrir la carpeta</translation>
    </message>
    <message>
        <source>Report folder</source>
        <translation>Carpeta del informe</translation>
    </message>
    <message>
        <source>Choose a folder for the report.</source>
        <translation>Elija una carpeta para el informe.</translation>
    </message>
    <message>
        <source>Choose at least one language.</source>
        <translation>Elija al menos un idioma.</translation>
    </message>
    <message>
        <source>Choose HTML, PDF or both.</source>
        <translation>Elija HTML, PDF o ambos.</translation>
    </message>
    <message>
        <source>Writing the report to %1…</source>
        <translation>Escribiendo el informe en %1…</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>Escribiendo %1…</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>Informe escrito: %1</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>The report was not written: %1</source>
        <translation>El informe no se escribió: %1</translation>
    </message>
</context>
<context>
    <name>RequestPage</name>
    <message>
        <source>Request</source>
        <translation>Solicitud</translation>
    </message>
    <message>
        <source>The request for mutual legal assistance (or European Investigation Order) this bundle answers, and the authority that sent it. Everything here is printed on the cover sheet.</source>
        <translation>La solicitud de asistencia judicial mutua (u orden europea de investigación) a la que responde este paquete, y la autoridad que la envió. Todo lo que figura aquí se imprime en la portada.</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <source>Export and verification</source>
        <translation>Exportación y verificación</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Exportando…</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>Verificación</translation>
    </message>
    <message>
        <source>Bundle</source>
        <translation>Paquete</translation>
    </message>
    <message>
        <source>Archive SHA-256</source>
        <translation>Hash SHA-256 del archivo comprimido</translation>
    </message>
    <message>
        <source>Signer fingerprint</source>
        <translation>Huella del firmante</translation>
    </message>
    <message>
        <source>optional: the CA or signer certificate the recipient will trust</source>
        <translation>opcional: el certificado de la autoridad de certificación (CA) o del firmante en el que confiará el destinatario</translation>
    </message>
    <message>
        <source>Check the signer against</source>
        <translation>Comprobar el firmante con</translation>
    </message>
    <message>
        <source>Trusted certificate</source>
        <translation>Certificado de confianza</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <source>Verify again</source>
        <translation>Verificar de nuevo</translation>
    </message>
    <message>
        <source>Check the bundle as the recipient will: every hash, the signature, the inventory and the custody log</source>
        <translation>Comprobar el paquete como lo hará el destinatario: cada hash, la firma, el inventario y el registro de la cadena de custodia</translation>
    </message>
</context>
<context>
    <name>ScanDock</name>
    <message>
        <source>comma separated</source>
        <translation>separados por comas</translation>
    </message>
    <message>
        <source>; empty: the Rule library&apos;s enabled sets</source>
        <translation>; vacío: los conjuntos activados de la biblioteca de reglas</translation>
    </message>
    <message>
        <source> (one or more of: {choices})</source>
        <translation> (uno o varios de: {choices})</translation>
    </message>
    <message>
        <source>Triage profile</source>
        <translation>Perfil de triaje</translation>
    </message>
    <message>
        <source>(none: inventory order)</source>
        <translation>(ninguno: orden del inventario)</translation>
    </message>
    <message>
        <source>Scan files in the order the file systems list them.</source>
        <translation>Analizar los archivos en el orden en que los listan los sistemas de archivos.</translation>
    </message>
    <message>
        <source>The profile&apos;s artifacts are scanned first, so the first findings arrive sooner.</source>
        <translation>Los artefactos del perfil se analizan primero, así que los primeros hallazgos llegan antes.</translation>
    </message>
    <message>
        <source>profile only (quick)</source>
        <translation>solo el perfil (rápido)</translation>
    </message>
    <message>
        <source>Scan only the profile&apos;s artifacts now; the other files stay pending for Resume.</source>
        <translation>Analizar ahora solo los artefactos del perfil; los demás archivos quedan pendientes para Reanudar.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Iniciar</translation>
    </message>
    <message>
        <source>Scan evidence not scanned yet (F5)</source>
        <translation>Analizar las evidencias aún no analizadas (F5)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <source>Finish an interrupted scan without redoing stored work</source>
        <translation>Terminar un análisis interrumpido sin rehacer el trabajo guardado</translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation>Volver a analizar</translation>
    </message>
    <message>
        <source>Forget earlier results and scan all evidence again</source>
        <translation>Olvidar los resultados anteriores y analizar de nuevo todas las evidencias</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>Fase</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Archivos</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Rate / ETA</source>
        <translation>Velocidad / fin estimado</translation>
    </message>
    <message>
        <source>Findings / problems</source>
        <translation>Hallazgos / problemas</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Ahora</translation>
    </message>
    <message>
        <source>Analyzer</source>
        <translation>Analizador</translation>
    </message>
    <message>
        <source>CPU seconds</source>
        <translation>Segundos de CPU</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Rendimiento</translation>
    </message>
    <message>
        <source>no profile named {name} (available: {names})</source>
        <translation>ningún perfil llamado {name} (disponibles: {names})</translation>
    </message>
    <message>
        <source>open or create a case first</source>
        <translation>abra o cree primero un caso</translation>
    </message>
    <message>
        <source>a scan is already running</source>
        <translation>ya hay un análisis en curso</translation>
    </message>
    <message>
        <source>add evidence to the case first (Case → Add evidence…)</source>
        <translation>añada primero una evidencia al caso (Caso → Añadir evidencia…)</translation>
    </message>
    <message>
        <source>all evidence in this case is scanned: use Resume to finish an interrupted scan or Rescan to scan again</source>
        <translation>todas las evidencias de este caso están analizadas: use Reanudar para terminar un análisis interrumpido o Volver a analizar para analizar de nuevo</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <source>cancelling: finishing files in flight…</source>
        <translation>cancelando: terminando los archivos en curso…</translation>
    </message>
    <message>
        <source> · evidence hash {percent}%</source>
        <translation> · hash de la evidencia {percent} %</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} de {total}</translation>
    </message>
    <message>
        <source>{rate}/s · ETA {eta}</source>
        <translation>{rate}/s · fin estimado {eta}</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>{findings} findings · {problems}</source>
        <translation>{findings} hallazgos · {problems}</translation>
    </message>
    <message>
        <source>{status}: {files} files, {findings} findings, {problems} in {seconds} s</source>
        <translation>{status}: {files} archivos, {findings} hallazgos, {problems} en {seconds} s</translation>
    </message>
    <message>
        <source>{n} files not scanned yet (profile only): press Resume to scan them</source>
        <translation>{n} archivos aún sin analizar (solo el perfil): pulse Reanudar para analizarlos</translation>
    </message>
</context>
<context>
    <name>ScanStatus</name>
    <message>
        <source>starting</source>
        <extracomment>the engine&apos;s phases and scan statuses, as the status texts show them</extracomment>
        <translation>iniciando</translation>
    </message>
    <message>
        <source>inventory</source>
        <translation>inventario</translation>
    </message>
    <message>
        <source>content</source>
        <translation>contenido</translation>
    </message>
    <message>
        <source>evidence hash</source>
        <translation>hash de la evidencia</translation>
    </message>
    <message>
        <source>locating damage</source>
        <translation>localizando daños</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>terminado</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>completado</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>interrumpido</translation>
    </message>
    <message>
        <source>running</source>
        <translation>en curso</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pausa</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fallido</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>inactivo</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>words, &quot;a phrase&quot;, prefix*, fuzzy~, AND OR NOT</source>
        <translation>palabras, &quot;una frase&quot;, prefijo*, aproximado~, AND OR NOT</translation>
    </message>
    <message>
        <source>Regex</source>
        <translation>Expresión regular</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Guardar…</translation>
    </message>
    <message>
        <source>Type to search the case&apos;s text, strings, slack and unallocated space</source>
        <translation>Escriba para buscar en el texto, las cadenas, el slack y el espacio no asignado del caso</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Desplazamiento</translation>
    </message>
    <message>
        <source>Snippet</source>
        <translation>Fragmento</translation>
    </message>
    <message>
        <source>Saved searches…</source>
        <translation>Búsquedas guardadas…</translation>
    </message>
    <message>
        <source>{name} (terms: {n})</source>
        <translation>{name} (términos: {n})</translation>
    </message>
    <message>
        <source>Hits: the first {n} ({ms} ms)</source>
        <translation>Resultados: los {n} primeros ({ms} ms)</translation>
    </message>
    <message>
        <source>Hits: {n} ({ms} ms)</source>
        <translation>Resultados: {n} ({ms} ms)</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Buscando…</translation>
    </message>
    <message>
        <source>Save this search in the case as a keyword list and record its findings</source>
        <translation>Guardar esta búsqueda en el caso como lista de palabras clave y registrar sus hallazgos</translation>
    </message>
    <message>
        <source>This case has no full-text index: tick the text analyzer in the Scan panel and scan again</source>
        <translation>Este caso no tiene índice de texto completo: marque el analizador text en el panel Análisis y vuelva a analizar</translation>
    </message>
</context>
<context>
    <name>SelectionPage</name>
    <message>
        <source>What to export</source>
        <translation>Qué exportar</translation>
    </message>
    <message>
        <source>Choose the files that go into the bundle. Their content is re-read from the evidence and re-hashed.</source>
        <translation>Elija los archivos que van en el paquete. Su contenido se vuelve a leer de la evidencia y se recalcula su hash.</translation>
    </message>
    <message>
        <source>Files tagged</source>
        <translation>Archivos etiquetados</translation>
    </message>
    <message>
        <source>Files with findings</source>
        <translation>Archivos con hallazgos</translation>
    </message>
    <message>
        <source>Files selected in the table</source>
        <translation>Archivos seleccionados en la tabla</translation>
    </message>
    <message>
        <source>Files not hashed yet (scan unfinished, or unreadable):</source>
        <translation>Archivos aún sin hash (análisis sin terminar, o ilegibles):</translation>
    </message>
    <message>
        <source>stop and name them</source>
        <translation>detenerse y nombrarlos</translation>
    </message>
    <message>
        <source>leave them out (listed in the redaction log)</source>
        <translation>excluirlos (se listan en el registro de exclusiones)</translation>
    </message>
    <message>
        <source>include them, hashed now from the evidence</source>
        <translation>incluirlos, con un hash calculado ahora a partir de la evidencia</translation>
    </message>
    <message>
        <source>(any tag)</source>
        <translation>(cualquier etiqueta)</translation>
    </message>
    <message>
        <source>1 file will be exported.</source>
        <translation>Se exportará 1 archivo.</translation>
    </message>
    <message>
        <source>%1 files will be exported.</source>
        <translation>Se exportarán %1 archivos.</translation>
    </message>
</context>
<context>
    <name>SenderPage</name>
    <message>
        <source>Sender</source>
        <translation>Remitente</translation>
    </message>
    <message>
        <source>Who answers the request and sends the bundle. The bundle&apos;s README says “Sent by: examiner, organisation”; the recipient contacts the examiner.</source>
        <translation>Quién responde a la solicitud y envía el paquete. El README del paquete indica «Sent by:» seguido del perito y la organización; el destinatario se pone en contacto con el perito.</translation>
    </message>
</context>
<context>
    <name>SigningPage</name>
    <message>
        <source>Signature</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>A signature lets the recipient check that the bundle comes from you and that not one byte changed after you signed it.</source>
        <translation>Una firma permite al destinatario comprobar que el paquete procede de usted y que no ha cambiado ni un solo byte después de que usted lo firmara.</translation>
    </message>
    <message>
        <source>To sign you need your private key file, which stays on this computer (only the signature and your certificate or public key go into the bundle). For a certificate signature you also need the certificate your organisation issued for that key. After the export, give the recipient the signer&apos;s fingerprint through another channel (telephone or letter), so that they can be sure the key is yours.</source>
        <translation>Para firmar necesita su archivo de clave privada, que permanece en este ordenador (solo la firma y su certificado o clave pública van en el paquete). Para una firma con certificado necesita también el certificado que su organización emitió para esa clave. Después de la exportación, comunique al destinatario la huella del firmante por otro canal (teléfono o carta), para que pueda estar seguro de que la clave es suya.</translation>
    </message>
    <message>
        <source>Do not sign</source>
        <translation>No firmar</translation>
    </message>
    <message>
        <source>Sign with my certificate (X.509: the usual choice between authorities)</source>
        <translation>Firmar con mi certificado (X.509: la opción habitual entre autoridades)</translation>
    </message>
    <message>
        <source>Sign with my SSH key (Ed25519)</source>
        <translation>Firmar con mi clave SSH (Ed25519)</translation>
    </message>
    <message>
        <source>your private key file (.pem, .key, .p12 or .pfx)</source>
        <translation>su archivo de clave privada (.pem, .key, .p12 o .pfx)</translation>
    </message>
    <message>
        <source>not needed when the key file holds it (.p12, .pfx) or it lies beside the key</source>
        <translation>no es necesario si el archivo de clave lo contiene (.p12, .pfx) o si está junto a la clave</translation>
    </message>
    <message>
        <source>only if the key file is protected by a password</source>
        <translation>solo si el archivo de clave está protegido con una contraseña</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <source>Your private key file</source>
        <translation>Su archivo de clave privada</translation>
    </message>
    <message>
        <source>Your certificate</source>
        <translation>Su certificado</translation>
    </message>
    <message>
        <source>Private key file</source>
        <translation>Archivo de clave privada</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>Certificado</translation>
    </message>
    <message>
        <source>Key password</source>
        <translation>Contraseña de la clave</translation>
    </message>
    <message>
        <source>&lt;b&gt;The bundle will not be signed&lt;/b&gt;: the recipient can check every hash, but not who produced the bundle.</source>
        <translation>&lt;b&gt;El paquete no se firmará&lt;/b&gt;: el destinatario puede comprobar cada hash, pero no quién produjo el paquete.</translation>
    </message>
    <message>
        <source>Choose your private key file, or choose “Do not sign”.</source>
        <translation>Elija su archivo de clave privada, o elija «No firmar».</translation>
    </message>
    <message>
        <source>There is no file at this place.</source>
        <translation>No hay ningún archivo en esta ubicación.</translation>
    </message>
    <message>
        <source>This key file is protected by a password: type it here.</source>
        <translation>Este archivo de clave está protegido con una contraseña: escríbala aquí.</translation>
    </message>
    <message>
        <source>This key file is not protected by a password: leave this empty.</source>
        <translation>Este archivo de clave no está protegido con una contraseña: deje este campo vacío.</translation>
    </message>
    <message>
        <source>The key cannot be opened: %1</source>
        <translation>No se puede abrir la clave: %1</translation>
    </message>
</context>
<context>
    <name>TimelineTableModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation>Hora (UTC)</translation>
    </message>
    <message>
        <source>Times</source>
        <translation>Marcas de tiempo</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Ruta</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Eliminado</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <source>Timestomping</source>
        <translation>Manipulación de marcas de tiempo</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Hallazgos</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <source>All files</source>
        <translation>Todos los archivos</translation>
    </message>
    <message>
        <source>Deleted only</source>
        <translation>Solo eliminados</translation>
    </message>
    <message>
        <source>Allocated only</source>
        <translation>Solo asignados</translation>
    </message>
    <message>
        <source>Any tag or none</source>
        <translation>Cualquier etiqueta o ninguna</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>Escala logarítmica</translation>
    </message>
    <message>
        <source>Bar heights on a logarithmic scale, so that one busy period cannot flatten the rest</source>
        <translation>Altura de las barras en escala logarítmica, para que un periodo con mucha actividad no aplane el resto</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>Restablecer el zoom</translation>
    </message>
    <message>
        <source>Show the whole time span again (0, Home, or double-click the chart)</source>
        <translation>Mostrar de nuevo todo el intervalo de tiempo (0, Inicio, o doble clic en el gráfico)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Stop filtering the file table by this time range (Esc)</source>
        <translation>Dejar de filtrar la tabla de archivos por este intervalo de tiempo (Esc)</translation>
    </message>
    <message>
        <source>Zoom to range</source>
        <translation>Ampliar el intervalo</translation>
    </message>
    <message>
        <source>Show only the selected time range</source>
        <translation>Mostrar solo el intervalo de tiempo seleccionado</translation>
    </message>
    <message>
        <source>Drag across the chart to filter the file table by time; wheel or +/− to zoom.</source>
        <translation>Arrastre sobre el gráfico para filtrar la tabla de archivos por fecha; rueda o +/− para hacer zoom.</translation>
    </message>
    <message>
        <source>Click a bar to list its events.</source>
        <translation>Haga clic en una barra para listar sus eventos.</translation>
    </message>
    <message>
        <source>Show in file table</source>
        <translation>Mostrar en la tabla de archivos</translation>
    </message>
    <message>
        <source>List the files of this bucket (with the current filters) in the file table</source>
        <translation>Listar los archivos de este intervalo (con los filtros actuales) en la tabla de archivos</translation>
    </message>
    <message>
        <source>Tagged “{tag}”</source>
        <translation>Etiquetados «{tag}»</translation>
    </message>
    <message>
        <source>Timeline {span}</source>
        <translation>Cronología {span}</translation>
    </message>
    <message>
        <source>filtered: {span}</source>
        <translation>filtrado: {span}</translation>
    </message>
    <message>
        <source>loading events…</source>
        <translation>cargando eventos…</translation>
    </message>
    <message>
        <source>cannot load the timeline: {error}</source>
        <translation>no se puede cargar la cronología: {error}</translation>
    </message>
    <message>
        <source>no events</source>
        <translation>sin eventos</translation>
    </message>
    <message>
        <source>{n} of {total} events</source>
        <translation>{n} de {total} eventos</translation>
    </message>
    <message>
        <source>(zoomed)</source>
        <translation>(ampliado)</translation>
    </message>
    <message>
        <source>listing {span}…</source>
        <translation>listando {span}…</translation>
    </message>
    <message>
        <source>{span}: {n} events in {files} files</source>
        <translation>{span}: {n} eventos en {files} archivos</translation>
    </message>
    <message>
        <source>(the first {n} listed)</source>
        <translation>(se listan los {n} primeros)</translation>
    </message>
    <message>
        <source>, {n} with timestomping signs</source>
        <translation>, {n} con indicios de manipulación de marcas de tiempo (timestomping)</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <source>Unlock encrypted volumes</source>
        <translation>Desbloquear volúmenes cifrados</translation>
    </message>
    <message>
        <source>The scan found encrypted volumes it could not open. Give a key to scan them (Resume); the key is used in memory only and is never stored.</source>
        <translation>El análisis encontró volúmenes cifrados que no pudo abrir. Indique una clave para analizarlos (Reanudar); la clave solo se usa en memoria y nunca se guarda.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>BitLocker recovery password</source>
        <translation>Contraseña de recuperación de BitLocker</translation>
    </message>
    <message>
        <source>BitLocker startup key (.bek)</source>
        <translation>Clave de inicio de BitLocker (.bek)</translation>
    </message>
    <message>
        <source>Key file (LUKS)</source>
        <translation>Archivo de clave (LUKS)</translation>
    </message>
    <message>
        <source>Partition {index} of {evidence}:
{reason}</source>
        <translation>Partición {index} de {evidence}:
{reason}</translation>
    </message>
    <message>
        <source>password</source>
        <translation>contraseña</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>Unlock and resume</source>
        <translation>Desbloquear y reanudar</translation>
    </message>
    <message>
        <source>file</source>
        <translation>archivo</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>Archivo de clave</translation>
    </message>
    <message>
        <source>give a key for at least one volume</source>
        <translation>indique una clave para al menos un volumen</translation>
    </message>
</context>
<context>
    <name>ViewsModel</name>
    <message>
        <source>Views</source>
        <translation>Vistas</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>Todos los archivos</translation>
    </message>
    <message>
        <source>Deleted files</source>
        <translation>Archivos eliminados</translation>
    </message>
    <message>
        <source>By type</source>
        <translation>Por tipo</translation>
    </message>
    <message>
        <source>Type {mime}</source>
        <translation>Tipo {mime}</translation>
    </message>
    <message>
        <source>By finding</source>
        <translation>Por hallazgo</translation>
    </message>
    <message>
        <source>Finding {kind}: {name}</source>
        <translation>Hallazgo {kind}: {name}</translation>
    </message>
    <message>
        <source>By tag</source>
        <translation>Por etiqueta</translation>
    </message>
    <message>
        <source>Tag {tag}</source>
        <translation>Etiqueta {tag}</translation>
    </message>
    <message>
        <source>Known files (hash sets)</source>
        <translation>Archivos conocidos (conjuntos de hashes)</translation>
    </message>
    <message>
        <source>Notable hashes (hash sets)</source>
        <translation>Hashes destacados (conjuntos de hashes)</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Scanning the demo image…</source>
        <translation>Analizando la imagen de demostración…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>triage demo</source>
        <translation>demostración de triage</translation>
    </message>
</context>
</TS>
