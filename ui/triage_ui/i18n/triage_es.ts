<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
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
        <source>&lt;b&gt;{label}&lt;/b&gt;: a draft request to preserve the data of these identifiers (Budapest Convention art. 29), citing the source files and their SHA-256.</source>
        <translation>&lt;b&gt;{label}&lt;/b&gt;: un borrador de solicitud de conservación de los datos de estos identificadores (Convenio de Budapest, art. 29), que cita los archivos de origen y su hash SHA-256.</translation>
    </message>
    <message>
        <source>optional: request metadata TOML (as for Export)</source>
        <translation>opcional: metadatos de la solicitud en TOML (como para la exportación)</translation>
    </message>
    <message>
        <source>Folder for the drafts</source>
        <translation>Carpeta para los borradores</translation>
    </message>
    <message>
        <source>Request metadata</source>
        <translation>Metadatos de la solicitud</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
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
    <name>HexView</name>
    <message>
        <source>No content</source>
        <translation>Sin contenido</translation>
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
        <source>choose a folder for the drafts</source>
        <translation>elija una carpeta para los borradores</translation>
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
        <source>Writing drafts for {key} to {target}…</source>
        <translation>Escribiendo los borradores para {key} en {target}…</translation>
    </message>
    <message>
        <source>Drafts written (check and complete them before sending):</source>
        <translation>Borradores escritos (revíselos y complételos antes de enviarlos):</translation>
    </message>
    <message>
        <source>No draft written: {error}</source>
        <translation>No se escribió ningún borrador: {error}</translation>
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
        <source>Timeline</source>
        <translation>Cronología</translation>
    </message>
    <message>
        <source>No case open</source>
        <translation>Ningún caso abierto</translation>
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
